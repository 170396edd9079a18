package io.recsys.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Server;
import io.grpc.ServerCredentials;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsServerCredentials;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.FeedbackResponse;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The client's defaults against a real gRPC server on a real port: retries, deadlines, TLS and mutual TLS. */
class RecsysClientTest {

  /** A gateway stand-in that fails the first {@code failures} calls of each method (UNAVAILABLE unless set), or never answers. */
  private static final class FlakyGateway extends RecommenderServiceGrpc.RecommenderServiceImplBase {
    final AtomicInteger recommends = new AtomicInteger();
    final AtomicInteger feedbacks = new AtomicInteger();
    volatile int failures;
    volatile Status failWith = Status.UNAVAILABLE.withDescription("going away");
    volatile boolean silent;

    @Override
    public void recommend(RecommendRequest request, StreamObserver<RecommendResponse> out) {
      if (silent) {
        return;
      }
      if (recommends.incrementAndGet() <= failures) {
        out.onError(failWith.asRuntimeException());
        return;
      }
      out.onNext(RecommendResponse.newBuilder().setRequestId("r-" + request.getUserId()).build());
      out.onCompleted();
    }

    @Override
    public void feedback(FeedbackRequest request, StreamObserver<FeedbackResponse> out) {
      if (feedbacks.incrementAndGet() <= failures) {
        out.onError(failWith.asRuntimeException());
        return;
      }
      out.onNext(FeedbackResponse.getDefaultInstance());
      out.onCompleted();
    }
  }

  private final FlakyGateway gateway = new FlakyGateway();
  private Server server;

  @AfterEach
  void stop() throws InterruptedException {
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private String serve(ServerCredentials credentials) throws IOException {
    server = Grpc.newServerBuilderForPort(0, credentials).addService(gateway).build().start();
    return "localhost:" + server.getPort();
  }

  private static RecommendRequest request() {
    return RecommendRequest.newBuilder().setUserId("u1").setK(5).build();
  }

  /** UNKNOWN "channel closed": what grpc-java reports when a killed gateway resets the connection under a call. */
  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "UNKNOWN"})
  void recommendIsRetried(Status.Code code) throws Exception {
    gateway.failures = 2;
    gateway.failWith = code.toStatus().withDescription("channel closed");
    try (RecsysClient client = RecsysClient.forTarget(serve(InsecureServerCredentials.create())).plaintext().build()) {
      assertThat(client.recommender().recommend(request()).getRequestId()).isEqualTo("r-u1");
    }
    assertThat(gateway.recommends).hasValue(3);
  }

  @Test
  void retriesStopAtMaxAttempts() throws Exception {
    gateway.failures = 5;
    try (RecsysClient client = RecsysClient.forTarget(serve(InsecureServerCredentials.create())).plaintext()
        .maxAttempts(2).build()) {
      assertThatThrownBy(() -> client.recommender().recommend(request()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(gateway.recommends).hasValue(2);
  }

  @Test
  void feedbackIsNotRetriedSoNoEventIsLoggedTwice() throws Exception {
    gateway.failures = 1;
    try (RecsysClient client = RecsysClient.forTarget(serve(InsecureServerCredentials.create())).plaintext().build()) {
      assertThatThrownBy(() -> client.recommender().feedback(FeedbackRequest.newBuilder().setUserId("u1").build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
    assertThat(gateway.feedbacks).hasValue(1);
  }

  @Test
  void everyCallGetsTheClientsDeadlineUnlessItSetsItsOwn() throws Exception {
    gateway.silent = true;
    try (RecsysClient client = RecsysClient.forTarget(serve(InsecureServerCredentials.create())).plaintext()
        .deadline(Duration.ofMillis(300)).build()) {
      long t0 = System.nanoTime();
      assertThatThrownBy(() -> client.recommender().recommend(request()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      long waitedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
      assertThat(waitedMs).isBetween(250L, 10_000L);

      // a stub's own, longer deadline is kept, not cut to the client's
      t0 = System.nanoTime();
      assertThatThrownBy(() -> client.recommender().withDeadlineAfter(1200, TimeUnit.MILLISECONDS).recommend(request()))
          .isInstanceOf(StatusRuntimeException.class);
      assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isGreaterThanOrEqualTo(1100L);
    }
  }

  @Test
  void aClientWithoutCredentialsOrWithBadSettingsIsRefusedAtBuildTime() {
    assertThatThrownBy(() -> RecsysClient.forTarget("localhost:1").build())
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("plaintext()");
    assertThatThrownBy(() -> RecsysClient.forTarget("localhost:1").maxAttempts(0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> RecsysClient.forTarget("localhost:1").deadline(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void tlsTrustsTheGivenCaAndPlaintextIsRefused(@TempDir Path dir) throws Exception {
    Pki pki = Pki.create(dir);
    String target = serve(TlsServerCredentials.create(pki.serverCert.toFile(), pki.serverKey.toFile()));
    try (RecsysClient client = RecsysClient.forTarget(target).tls(pki.ca).build()) {
      assertThat(client.recommender().recommend(request()).getRequestId()).isEqualTo("r-u1");
    }
    try (RecsysClient plain = RecsysClient.forTarget(target).plaintext().maxAttempts(1).build()) {
      assertThatThrownBy(() -> plain.recommender().recommend(request()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    }
  }

  @Test
  void mutualTlsPresentsTheClientCertificateThatTheServerRequires(@TempDir Path dir) throws Exception {
    Pki pki = Pki.create(dir);
    String target = serve(TlsServerCredentials.newBuilder()
        .keyManager(pki.serverCert.toFile(), pki.serverKey.toFile())
        .trustManager(pki.ca.toFile())
        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE).build());
    try (RecsysClient client = RecsysClient.forTarget(target).mutualTls(pki.ca, pki.clientCert, pki.clientKey).build()) {
      assertThat(client.recommender().recommend(request()).getRequestId()).isEqualTo("r-u1");
    }
    try (RecsysClient anonymous = RecsysClient.forTarget(target).tls(pki.ca).maxAttempts(1).build()) {
      assertThatThrownBy(() -> anonymous.recommender().recommend(request())).isInstanceOf(StatusRuntimeException.class);
    }
  }

  /** A throwaway CA with a server certificate for localhost and a client certificate, made by openssl. */
  private record Pki(Path ca, Path serverCert, Path serverKey, Path clientCert, Path clientKey) {
    static Pki create(Path dir) throws IOException, InterruptedException {
      assumeTrue(new File("/usr/bin/openssl").canExecute(), "openssl makes the test certificates; it is not installed");
      Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
      openssl(dir, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem",
          "-days", "1", "-subj", "/CN=recsys test CA");
      for (String name : List.of("server", "client")) {
        openssl(dir, "req", "-newkey", "rsa:2048", "-nodes", "-keyout", name + ".key", "-out", name + ".csr",
            "-subj", "/CN=" + (name.equals("server") ? "localhost" : "recsys-test-client"));
        openssl(dir, "x509", "-req", "-in", name + ".csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
            "-out", name + ".pem", "-days", "1", "-extfile", "server.ext");
      }
      return new Pki(dir.resolve("ca.pem"), dir.resolve("server.pem"), dir.resolve("server.key"),
          dir.resolve("client.pem"), dir.resolve("client.key"));
    }

    private static void openssl(Path dir, String... args) throws IOException, InterruptedException {
      List<String> command = new java.util.ArrayList<>(List.of("openssl"));
      command.addAll(List.of(args));
      Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      assertThat(p.waitFor()).as("openssl %s: %s", args[0], out).isZero();
    }
  }
}
