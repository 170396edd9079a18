package io.recsys.client;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ClientInterceptors;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.TlsChannelCredentials;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * A channel to the recsys gateway with the settings a production client needs and plain grpc-java
 * leaves to each caller: a deadline on every call that sets none, a retry of {@code Recommend} on
 * {@code UNAVAILABLE} (a pod going away) and {@code UNKNOWN} (grpc-java's status for a connection
 * that a killed pod reset under the call), round robin over every address the target resolves to,
 * and plaintext or TLS from PEM files.
 *
 * <pre>{@code
 * try (RecsysClient client = RecsysClient.forTarget("localhost:50050").plaintext().build()) {
 *   RecommendResponse r = client.recommender().recommend(request);
 * }
 * }</pre>
 */
public final class RecsysClient implements AutoCloseable {

  /** A Recommend answers within the gateway's source and ranking budgets (250 ms by default); this leaves room for the network and a retry. */
  public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(1);
  /** First try and up to two retries. */
  public static final int DEFAULT_MAX_ATTEMPTS = 3;

  private final ManagedChannel channel;
  private final Channel withDeadlines;

  private RecsysClient(ManagedChannel channel, Duration deadline) {
    this.channel = channel;
    this.withDeadlines = ClientInterceptors.intercept(channel, new DefaultDeadline(deadline));
  }

  /**
   * A client of {@code target}: {@code host:port}, or a gRPC target such as
   * {@code dns:///gateway.recsys.svc.cluster.local:50050} (every address it resolves to gets calls).
   */
  public static Builder forTarget(String target) {
    return new Builder(Objects.requireNonNull(target, "target"));
  }

  /** The gateway's Recommend and Feedback, each call under the client's deadline unless the stub sets its own. */
  public RecommenderServiceGrpc.RecommenderServiceBlockingStub recommender() {
    return RecommenderServiceGrpc.newBlockingStub(withDeadlines);
  }

  /** The same, asynchronous. */
  public RecommenderServiceGrpc.RecommenderServiceFutureStub recommenderFutures() {
    return RecommenderServiceGrpc.newFutureStub(withDeadlines);
  }

  /** The channel with the client's deadline, for other stubs (e.g. AdminService or grpc.health.v1). */
  public Channel channel() {
    return withDeadlines;
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }

  /** Settings of a {@link RecsysClient}; {@link #plaintext()} or one of the TLS methods is required. */
  public static final class Builder {
    private final String target;
    private ChannelCredentials credentials;
    private Duration deadline = DEFAULT_DEADLINE;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;

    private Builder(String target) {
      this.target = target;
    }

    /** No TLS: the servers' quickstart default. */
    public Builder plaintext() {
      return credentials(InsecureChannelCredentials.create());
    }

    /** TLS, trusting the CA certificates of a PEM file (the servers' {@code --tls-ca} signs their certificates). */
    public Builder tls(Path caPem) {
      try {
        return credentials(TlsChannelCredentials.newBuilder().trustManager(caPem.toFile()).build());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read CA certificates " + caPem, e);
      }
    }

    /** Mutual TLS: trusts {@code caPem} and presents the client certificate chain and its PKCS#8 key. */
    public Builder mutualTls(Path caPem, Path certChainPem, Path privateKeyPem) {
      try {
        return credentials(TlsChannelCredentials.newBuilder().trustManager(caPem.toFile())
            .keyManager(certChainPem.toFile(), privateKeyPem.toFile()).build());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read " + caPem + ", " + certChainPem + " or " + privateKeyPem, e);
      }
    }

    /** Any other credentials, e.g. {@code TlsChannelCredentials.create()} for the JVM's default trust store. */
    public Builder credentials(ChannelCredentials credentials) {
      this.credentials = Objects.requireNonNull(credentials, "credentials");
      return this;
    }

    /** The deadline of every call that sets none (default {@link #DEFAULT_DEADLINE}). */
    public Builder deadline(Duration deadline) {
      if (deadline.isNegative() || deadline.isZero()) {
        throw new IllegalArgumentException("deadline must be positive, was " + deadline);
      }
      this.deadline = deadline;
      return this;
    }

    /** Attempts of a Recommend that fails with UNAVAILABLE or UNKNOWN, first one included (1 turns retries off; gRPC caps it at 5). */
    public Builder maxAttempts(int maxAttempts) {
      if (maxAttempts < 1 || maxAttempts > 5) {
        throw new IllegalArgumentException("maxAttempts must be 1..5, was " + maxAttempts);
      }
      this.maxAttempts = maxAttempts;
      return this;
    }

    public RecsysClient build() {
      if (credentials == null) {
        throw new IllegalStateException("choose plaintext(), tls(...), mutualTls(...) or credentials(...)");
      }
      ManagedChannel channel = Grpc.newChannelBuilder(target, credentials)
          .defaultServiceConfig(serviceConfig(maxAttempts))
          .enableRetry()
          .keepAliveTime(30, TimeUnit.SECONDS)
          .build();
      return new RecsysClient(channel, deadline);
    }
  }

  /**
   * The gRPC service config (its JSON form as Java maps; numbers are doubles). Only Recommend is
   * retried: it reads, so a second try is harmless, while a Feedback that reached a gateway before its
   * connection broke would be logged twice. gRPC itself still retries calls that never left the client.
   */
  static Map<String, ?> serviceConfig(int maxAttempts) {
    Map<String, Object> recommend = new LinkedHashMap<>();
    recommend.put("name", List.of(Map.of("service", "recsys.v1.RecommenderService", "method", "Recommend")));
    if (maxAttempts > 1) {
      recommend.put("retryPolicy", Map.of(
          "maxAttempts", (double) maxAttempts,
          "initialBackoff", "0.02s",
          "maxBackoff", "0.2s",
          "backoffMultiplier", 2.0,
          "retryableStatusCodes", List.of("UNAVAILABLE", "UNKNOWN")));
    }
    return Map.of(
        "loadBalancingConfig", List.of(Map.of("round_robin", Map.of())),
        "methodConfig", List.of(recommend));
  }

  /** Gives a call that has no deadline the client's; a deadline set on the stub wins. */
  private record DefaultDeadline(Duration deadline) implements ClientInterceptor {
    @Override
    public <Q, A> ClientCall<Q, A> interceptCall(MethodDescriptor<Q, A> method, CallOptions options, Channel next) {
      CallOptions withDeadline = options.getDeadline() != null ? options
          : options.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS);
      return next.newCall(method, withDeadline);
    }
  }
}
