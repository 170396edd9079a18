package io.recsys.common.config;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options every server has for its connections (a picocli mixin): connection recycling, input
 * limits, load shedding, TLS and the admin port. The field defaults are the flags' defaults, so a
 * server built without a command line (tests, the class-loading warm-up) behaves like one started
 * with no flags.
 */
public final class ServerOptions {

  /**
   * 30 s: a replica the autoscaler adds gets its share of the gateway's calls within ~30 s (clients
   * re-resolve when a connection ends), while a reconnect every 30 s (a TCP + HTTP/2, or TLS,
   * handshake of about a millisecond) costs nothing measurable.
   */
  public static final long DEFAULT_MAX_CONNECTION_AGE_SECONDS = 30;
  /** 5 s: far beyond the gateway's longest call (250 ms ranking deadline), so no call is cut off. */
  public static final long DEFAULT_MAX_CONNECTION_AGE_GRACE_SECONDS = 5;
  /**
   * 2 MiB: the largest request the servers accept (2,000 candidates of 256-character ids with their
   * source scores, 500 events with 1,024-character queries) is about 1.2 MB; gRPC's default 4 MiB
   * would let a client make each server buffer twice that for a request it then refuses.
   */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 2 * 1024 * 1024;

  @Option(names = "--max-connection-age-seconds", defaultValue = "" + DEFAULT_MAX_CONNECTION_AGE_SECONDS,
      description = "Close each client connection after this long (gRPC maxConnectionAge, +/-10% jitter) so clients"
          + " re-resolve and spread over new replicas; 0 = never (default: ${DEFAULT-VALUE}).")
  public long maxConnectionAgeSeconds = DEFAULT_MAX_CONNECTION_AGE_SECONDS;

  @Option(names = "--max-connection-age-grace-seconds", defaultValue = "" + DEFAULT_MAX_CONNECTION_AGE_GRACE_SECONDS,
      description = "Calls in progress on an aged connection get this long to finish (default: ${DEFAULT-VALUE}).")
  public long maxConnectionAgeGraceSeconds = DEFAULT_MAX_CONNECTION_AGE_GRACE_SECONDS;

  @Option(names = "--max-inbound-message-bytes", defaultValue = "" + DEFAULT_MAX_INBOUND_MESSAGE_BYTES,
      description = "Largest request message accepted; larger ones fail with RESOURCE_EXHAUSTED (default: ${DEFAULT-VALUE}).")
  public int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;

  @Option(names = "--max-in-flight", defaultValue = "0",
      description = "API calls in progress beyond which new ones are refused at once with RESOURCE_EXHAUSTED;"
          + " 0 (default) = recsys.server.maxInFlight, else 256 per core.")
  public int maxInFlight;

  @Option(names = "--threads", defaultValue = "0",
      description = "Threads that run calls (a fixed pool: the queue in front of it holds at most --max-in-flight calls);"
          + " 0 (default) = recsys.server.threads, else 4 per core. The gateway waits on virtual threads instead.")
  public int threads;

  @Option(names = "--tls-cert", description = "PEM certificate chain of this server: serve TLS (default: plaintext).")
  public Path tlsCert;

  @Option(names = "--tls-key", description = "PEM private key (PKCS#8) of --tls-cert.")
  public Path tlsKey;

  @Option(names = "--tls-ca", description = "PEM CA certificates that client certificates must chain to: with it"
      + " every client must present a certificate (mTLS).")
  public Path tlsCa;

  @Option(names = "--tls-refresh-seconds", defaultValue = "60",
      description = "How often the TLS files are read again; replaced certificates serve new connections (default: ${DEFAULT-VALUE}).")
  public long tlsRefreshSeconds = 60;

  @Option(names = "--admin-port", defaultValue = "-1",
      description = "Serve the admin API and server reflection on this port instead of --port (0 = any free port;"
          + " default -1: on --port). Health answers on both.")
  public int adminPort = -1;

  @Option(names = "--admin-token", description = "Bearer token the admin API requires (authorization: Bearer <token>);"
      + " also RECSYS_ADMIN_TOKEN (default: none, the admin API is open).")
  public String adminToken;

  /** The flags' defaults. */
  public static ServerOptions defaults() {
    return new ServerOptions();
  }
}
