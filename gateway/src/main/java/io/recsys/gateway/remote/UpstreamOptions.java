package io.recsys.gateway.remote;

import io.recsys.gateway.GatewaySettings;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Option;

/** How the gateway calls retrieval and ranking: TLS towards them, retries, hedging (a picocli mixin). */
public final class UpstreamOptions {

  @Option(names = "--upstream-tls-ca", description = "PEM CA certificates the retrieval and ranking servers' certificates"
      + " must chain to: call them over TLS (default: plaintext).")
  public Path tlsCa;

  @Option(names = "--upstream-tls-cert", description = "PEM certificate the gateway presents to servers that require"
      + " client certificates (mTLS).")
  public Path tlsCert;

  @Option(names = "--upstream-tls-key", description = "PEM private key (PKCS#8) of --upstream-tls-cert.")
  public Path tlsKey;

  @Option(names = "--upstream-tls-refresh-seconds", defaultValue = "60",
      description = "How often the upstream TLS files are read again (default: ${DEFAULT-VALUE}).")
  public long tlsRefreshSeconds = 60;

  @Option(names = "--upstream-max-attempts", defaultValue = "" + Upstream.DEFAULT_MAX_ATTEMPTS,
      description = "Attempts of a Retrieve or Rank call that fails with UNAVAILABLE or UNKNOWN (a replica went away), within"
          + " the call's deadline; 1 = no retries (default: ${DEFAULT-VALUE}).")
  public int maxAttempts = Upstream.DEFAULT_MAX_ATTEMPTS;

  @Option(names = "--hedge-retrieval-ms", defaultValue = "0",
      description = "Send a second Retrieve to another replica when the first has not answered after this long;"
          + " the first answer wins. Trades load for tail latency; 0 = off (default: ${DEFAULT-VALUE}).")
  public long hedgeRetrievalMs;

  public static UpstreamOptions defaults() {
    return new UpstreamOptions();
  }

  /** The credentials and service config of the gateway's channels; the caller closes it. */
  public Upstream open(GatewaySettings settings) {
    return new Upstream(this, settings.sourceTimeoutMs(), settings.rankingTimeoutMs(),
        Duration.ofSeconds(tlsRefreshSeconds));
  }
}
