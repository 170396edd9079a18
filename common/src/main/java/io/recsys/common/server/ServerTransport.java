package io.recsys.common.server;

import io.grpc.Grpc;
import io.grpc.ServerBuilder;
import io.grpc.ServerCredentials;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.security.BearerTokenAuth;
import io.recsys.common.security.TlsCredentials;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * How a server's ports take connections, from its {@link ServerOptions}: plaintext or (m)TLS from
 * reloaded certificate files, connections recycled after {@code maxConnectionAge} so clients spread
 * over new replicas, a deliberate message size limit, keepalive pings the gateway may send, and the
 * bearer token the admin services require. Owns the certificate reloading: close it with the server.
 */
final class ServerTransport implements AutoCloseable {

  /**
   * Clients (the gateway) ping every 20 s to find dead connections; the server allows one every
   * 10 s, where gRPC's default (5 min) would answer them with GOAWAY "too many pings".
   */
  static final long PERMIT_KEEPALIVE_SECONDS = 10;

  private final ServerOptions options;
  private final TlsCredentials<ServerCredentials> tls;
  private final ServerInterceptor adminAuth;

  ServerTransport(ServerOptions options) {
    if (options.maxConnectionAgeSeconds < 0 || options.maxConnectionAgeGraceSeconds < 0) {
      throw new IllegalArgumentException("--max-connection-age-seconds and --max-connection-age-grace-seconds"
          + " must not be negative");
    }
    if (options.maxInboundMessageBytes < 1024) {
      throw new IllegalArgumentException("--max-inbound-message-bytes must be at least 1024, got "
          + options.maxInboundMessageBytes);
    }
    this.options = options;
    this.adminAuth = options.adminToken == null || options.adminToken.isEmpty()
        ? null : new BearerTokenAuth(options.adminToken);
    this.tls = TlsCredentials.server(options.tlsCert, options.tlsKey, options.tlsCa,
        Duration.ofSeconds(options.tlsRefreshSeconds));
  }

  /** A builder for {@code port} with these connection settings. */
  ServerBuilder<?> builder(int port) {
    ServerBuilder<?> b = Grpc.newServerBuilderForPort(port, tls.credentials())
        .maxInboundMessageSize(options.maxInboundMessageBytes)
        .permitKeepAliveTime(PERMIT_KEEPALIVE_SECONDS, TimeUnit.SECONDS)
        .permitKeepAliveWithoutCalls(true);
    if (options.maxConnectionAgeSeconds > 0) {
      b.maxConnectionAge(options.maxConnectionAgeSeconds, TimeUnit.SECONDS)
          .maxConnectionAgeGrace(options.maxConnectionAgeGraceSeconds, TimeUnit.SECONDS);
    }
    return b;
  }

  /** Whether the admin services get a port of their own. */
  boolean separateAdminPort() {
    return options.adminPort >= 0;
  }

  int adminPort() {
    return options.adminPort;
  }

  /** An admin service behind the token check, when a token is configured. */
  ServerServiceDefinition admin(ServerServiceDefinition service) {
    return adminAuth == null ? service : ServerInterceptors.intercept(service, adminAuth);
  }

  String describe() {
    return (tls.tls() ? (options.tlsCa != null ? "mTLS" : "TLS") : "plaintext")
        + (adminAuth == null ? "" : ", admin token required");
  }

  @Override
  public void close() {
    tls.close();
  }
}
