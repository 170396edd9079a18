package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.common.security.TestPki;
import io.recsys.common.server.RecsysServer;
import io.recsys.models.testing.TestBundles;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Retrieval and ranking started with {@code --tls-cert/--tls-key/--tls-ca} (mTLS), as the README
 * shows: a gateway with {@code --upstream-tls-*} and its own certificate is served, one without a
 * client certificate and a plaintext client are refused at the connection.
 */
class MutualTlsTest {

  @TempDir
  static Path dir;

  static RunningSystem system;
  static Path ca;
  static TestPki.Issued server;
  static TestPki.Issued gatewayCert;

  @BeforeAll
  static void start() throws Exception {
    TestPki pki = TestPki.ca("recsys-it-ca");
    ca = pki.writeCa(dir.resolve("ca.crt"));
    server = pki.issue("server", dir);
    gatewayCert = pki.issue("gateway", dir);
    // every server of the system requires client certificates of the CA
    system = new RunningSystem(TestBundles.small().bundleDir(), "--tls-cert", server.cert().toString(),
        "--tls-key", server.key().toString(), "--tls-ca", ca.toString());
  }

  @AfterAll
  static void stop() throws Exception {
    system.close();
  }

  private static RecommendResponse recommendThrough(RecsysServer gateway) throws InterruptedException {
    ManagedChannel c = Grpc.newChannelBuilder("localhost:" + gateway.port(), InsecureChannelCredentials.create()).build();
    try {
      return RecommenderServiceGrpc.newBlockingStub(c).withDeadlineAfter(20, TimeUnit.SECONDS)
          .recommend(RecommendRequest.newBuilder().setUserId("u00001").setK(5).build());
    } finally {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aGatewayWithItsCertificateIsServedByRetrievalAndRanking() throws Exception {
    try (RecsysServer gateway = system.startGateway("--event-log", "file:" + dir.resolve("events-mtls"),
        "--upstream-tls-ca", ca.toString(), "--upstream-tls-cert", gatewayCert.cert().toString(),
        "--upstream-tls-key", gatewayCert.key().toString())) {
      RecommendResponse r = recommendThrough(gateway);
      assertThat(r.getItemsCount()).isEqualTo(5);
      assertThat(r.getDegraded()).as("degraded: %s", r.getDegradedReasonsList()).isFalse();
    }
  }

  @Test
  void aGatewayWithoutAClientCertificateIsRefused() throws Exception {
    try (RecsysServer gateway = system.startGateway("--event-log", "file:" + dir.resolve("events-tls"),
        "--upstream-tls-ca", ca.toString())) {
      RecommendResponse r = recommendThrough(gateway);
      assertThat(r.getDegraded()).isTrue();
      assertThat(r.getDegradedReasonsList()).anyMatch(s -> s.contains("ranking") && s.contains("UNAVAILABLE"));
    }
  }

  @Test
  void aPlaintextClientCannotConnect() throws Exception {
    ManagedChannel c = Grpc.newChannelBuilder("localhost:" + system.retrieval.port(),
        InsecureChannelCredentials.create()).build();
    try {
      assertThatThrownBy(() -> RetrievalServiceGrpc.newBlockingStub(c).withDeadlineAfter(10, TimeUnit.SECONDS)
          .listSources(ListSourcesRequest.getDefaultInstance()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }
}
