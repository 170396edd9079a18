package io.recsys.gateway.remote;

import io.grpc.ChannelCredentials;
import io.grpc.ManagedChannelBuilder;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.security.TlsCredentials;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * What every channel of the gateway to retrieval and ranking shares: the credentials (plaintext, or
 * TLS / mTLS from reloaded files) and a gRPC service config, in which
 * <ul>
 *   <li>Retrieve and Rank are retried on UNAVAILABLE (a replica that stopped or was replaced: the
 *       retry goes to another address of the round_robin channel) and on UNKNOWN, which is what
 *       grpc-java reports for a call whose connection a killed replica reset ("channel closed",
 *       grpc-java#10120); both only read, so a second try is harmless. With a short backoff, within
 *       the call's own deadline, and throttled: when most calls fail, retries stop instead of
 *       doubling the load on what is left;</li>
 *   <li>Retrieve is optionally hedged instead (a second attempt after a delay, first answer wins);</li>
 *   <li>each service has its timeout, the gateway's source and ranking deadlines, also for calls
 *       made without one.</li>
 * </ul>
 * Keepalive pings every 20 s find connections that died without a close (a node lost): calls stop
 * going into them within ~25 s rather than the kernel's minutes.
 */
public final class Upstream implements AutoCloseable {

  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  static final List<String> RETRYABLE = List.of("UNAVAILABLE", "UNKNOWN");
  static final long KEEPALIVE_SECONDS = 20;
  static final long KEEPALIVE_TIMEOUT_SECONDS = 5;

  private final TlsCredentials<ChannelCredentials> tls;
  private final Map<String, ?> serviceConfig;

  Upstream(UpstreamOptions o, long retrieveTimeoutMs, long rankTimeoutMs, Duration tlsRefresh) {
    if (o.maxAttempts < 1 || o.maxAttempts > 5) {
      throw new IllegalArgumentException("--upstream-max-attempts must be in 1..5 (gRPC's limit), got " + o.maxAttempts);
    }
    if (o.hedgeRetrievalMs < 0) {
      throw new IllegalArgumentException("--hedge-retrieval-ms must not be negative, got " + o.hedgeRetrievalMs);
    }
    this.serviceConfig = serviceConfig(o.maxAttempts, o.hedgeRetrievalMs, retrieveTimeoutMs, rankTimeoutMs);
    this.tls = TlsCredentials.client(o.tlsCa, o.tlsCert, o.tlsKey, tlsRefresh);
  }

  public ChannelCredentials credentials() {
    return tls.credentials();
  }

  /** The service config (JSON as maps), for a look in tests and logs. */
  public Map<String, ?> serviceConfig() {
    return serviceConfig;
  }

  /** Applies the service config, retries, keepalive and the message size limit to a channel. */
  public void configure(ManagedChannelBuilder<?> b) {
    b.defaultServiceConfig(serviceConfig)
        .enableRetry()
        // a Rank request of 2,000 candidates stays retryable (the default per-call buffer is 1 MiB)
        .perRpcBufferLimit(ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES)
        .maxInboundMessageSize(ServerOptions.DEFAULT_MAX_INBOUND_MESSAGE_BYTES)
        .keepAliveTime(KEEPALIVE_SECONDS, TimeUnit.SECONDS)
        .keepAliveTimeout(KEEPALIVE_TIMEOUT_SECONDS, TimeUnit.SECONDS)
        .keepAliveWithoutCalls(true);
  }

  static Map<String, ?> serviceConfig(int maxAttempts, long hedgeRetrievalMs, long retrieveTimeoutMs,
                                      long rankTimeoutMs) {
    Map<String, ?> retry = Map.of(
        "maxAttempts", (double) maxAttempts,
        "initialBackoff", "0.005s",
        "maxBackoff", "0.05s",
        "backoffMultiplier", 2.0,
        "retryableStatusCodes", RETRYABLE);
    Map<String, Object> retrieve = new LinkedHashMap<>(Map.of(
        "name", List.of(Map.of("service", "recsys.v1.RetrievalService")),
        "timeout", seconds(retrieveTimeoutMs)));
    if (hedgeRetrievalMs > 0) {
      retrieve.put("hedgingPolicy", Map.of(
          // one hedge: a third copy of every slow call would add load where it is slow already
          "maxAttempts", 2.0,
          "hedgingDelay", seconds(hedgeRetrievalMs),
          "nonFatalStatusCodes", RETRYABLE));
    } else if (maxAttempts > 1) {
      retrieve.put("retryPolicy", retry);
    }
    Map<String, Object> rank = new LinkedHashMap<>(Map.of(
        "name", List.of(Map.of("service", "recsys.v1.RankingService")),
        "timeout", seconds(rankTimeoutMs)));
    if (maxAttempts > 1) {
      rank.put("retryPolicy", retry);
    }
    return Map.of(
        "methodConfig", List.of(retrieve, rank),
        // retries stop while more than half of the recent calls failed, and resume as they succeed
        "retryThrottling", Map.of("maxTokens", 10.0, "tokenRatio", 0.1));
  }

  private static String seconds(long ms) {
    return String.format(java.util.Locale.ROOT, "%.3fs", ms / 1000.0);
  }

  @Override
  public void close() {
    tls.close();
  }
}
