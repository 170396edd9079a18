package io.recsys.common.security;

import io.grpc.ChannelCredentials;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ServerCredentials;
import io.grpc.TlsChannelCredentials;
import io.grpc.TlsServerCredentials;
import io.grpc.util.AdvancedTlsX509KeyManager;
import io.grpc.util.AdvancedTlsX509TrustManager;
import io.grpc.util.AdvancedTlsX509TrustManager.Verification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * gRPC credentials from PEM files that are read again every {@code refresh}, so a certificate
 * rotated on disk (e.g. a Kubernetes secret updated by cert-manager) serves every new connection
 * without a restart. Plaintext when no files are given. Close it to stop watching the files.
 *
 * @param <C> {@link ServerCredentials} or {@link ChannelCredentials}
 */
public final class TlsCredentials<C> implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TlsCredentials.class);

  private final C credentials;
  private final List<AutoCloseable> watchers;
  private final ScheduledExecutorService timer;

  private TlsCredentials(C credentials, List<AutoCloseable> watchers, ScheduledExecutorService timer) {
    this.credentials = credentials;
    this.watchers = watchers;
    this.timer = timer;
  }

  public C credentials() {
    return credentials;
  }

  /** True when these are TLS credentials, false for plaintext. */
  public boolean tls() {
    return timer != null;
  }

  /**
   * A server's credentials: plaintext without {@code cert}; TLS with it; with {@code clientCa} too,
   * mutual TLS: a client without a certificate that chains to {@code clientCa} cannot connect.
   */
  public static TlsCredentials<ServerCredentials> server(Path cert, Path key, Path clientCa, Duration refresh) {
    if (cert == null && key == null) {
      if (clientCa != null) {
        throw new IllegalArgumentException("--tls-ca needs --tls-cert and --tls-key: client certificates are"
            + " checked only over TLS");
      }
      return new TlsCredentials<>(InsecureServerCredentials.create(), List.of(), null);
    }
    Loader loader = new Loader(refresh);
    return loader.done(() -> {
      TlsServerCredentials.Builder b = TlsServerCredentials.newBuilder().keyManager(loader.identity(cert, key));
      if (clientCa != null) {
        // clients have no host names to check: their certificate chaining to the CA is the check
        b.trustManager(loader.trust(clientCa, Verification.CERTIFICATE_ONLY_VERIFICATION))
            .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
      }
      return b.build();
    });
  }

  /**
   * A client's credentials: plaintext without {@code ca}; TLS that checks the server's certificate
   * against {@code ca} and the target's host name with it; with {@code cert} and {@code key} too,
   * this client presents its own certificate (for a server that requires mTLS).
   */
  public static TlsCredentials<ChannelCredentials> client(Path ca, Path cert, Path key, Duration refresh) {
    if (ca == null) {
      if (cert != null || key != null) {
        throw new IllegalArgumentException("a client certificate needs the CA of the servers (--upstream-tls-ca)");
      }
      return new TlsCredentials<>(InsecureChannelCredentials.create(), List.of(), null);
    }
    Loader loader = new Loader(refresh);
    return loader.done(() -> {
      TlsChannelCredentials.Builder b = TlsChannelCredentials.newBuilder()
          .trustManager(loader.trust(ca, Verification.CERTIFICATE_AND_HOST_NAME_VERIFICATION));
      if (cert != null || key != null) {
        b.keyManager(loader.identity(cert, key));
      }
      return b.build();
    });
  }

  @Override
  public void close() {
    for (AutoCloseable w : watchers) {
      try {
        w.close();
      } catch (Exception e) {
        // nothing is left to stop
      }
    }
    if (timer != null) {
      timer.shutdownNow();
    }
  }

  private interface Build<C> {
    C build() throws IOException, GeneralSecurityException;
  }

  /**
   * Reads the files once (a bad file fails the start) and again every {@code refresh}; a changed
   * file replaces the credentials of new connections, a broken one is logged and the old ones stay.
   * Our own timer rather than grpc-util's scheduled update, which reads no more often than once a
   * minute.
   */
  private static final class Loader {
    final Duration refresh;
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tls-file-reload");
      t.setDaemon(true);
      return t;
    });
    final List<AutoCloseable> watchers = new ArrayList<>();

    Loader(Duration refresh) {
      if (refresh.isNegative() || refresh.isZero()) {
        throw new IllegalArgumentException("the TLS refresh period must be positive, got " + refresh);
      }
      this.refresh = refresh;
    }

    AdvancedTlsX509KeyManager identity(Path cert, Path key) throws IOException, GeneralSecurityException {
      if (cert == null || key == null) {
        throw new IllegalArgumentException("a certificate needs its key and a key its certificate (--tls-cert and --tls-key)");
      }
      AdvancedTlsX509KeyManager km = new AdvancedTlsX509KeyManager();
      watch(List.of(cert, key), () -> km.updateIdentityCredentials(cert.toFile(), key.toFile()));
      return km;
    }

    AdvancedTlsX509TrustManager trust(Path ca, Verification verification) throws IOException, GeneralSecurityException {
      AdvancedTlsX509TrustManager tm = AdvancedTlsX509TrustManager.newBuilder().setVerification(verification).build();
      watch(List.of(ca), () -> tm.updateTrustCredentials(ca.toFile()));
      return tm;
    }

    private void watch(List<Path> files, Update update) throws IOException, GeneralSecurityException {
      for (Path p : files) {
        if (!Files.isReadable(p)) {
          throw new IOException(p + " does not exist or cannot be read");
        }
      }
      update.apply();
      long[] seen = {fingerprint(files)};
      ScheduledFuture<?> task = timer.scheduleWithFixedDelay(() -> {
        try {
          long now = fingerprint(files);
          if (now != seen[0]) {
            update.apply();
            seen[0] = now;
            log.info("TLS files {} changed: new connections use them", files);
          }
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
          log.warn("TLS files {} could not be read again; the previous ones stay in use", files, e);
        }
      }, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
      watchers.add(() -> task.cancel(false));
    }

    /** Changes when any file's content does (a secret volume swaps files by renaming a link). */
    private static long fingerprint(List<Path> files) throws IOException {
      long h = 1;
      for (Path p : files) {
        h = 31 * h + Arrays.hashCode(Files.readAllBytes(p));
      }
      return h;
    }

    <C> TlsCredentials<C> done(Build<C> build) {
      try {
        return new TlsCredentials<>(build.build(), List.copyOf(watchers), timer);
      } catch (IOException | GeneralSecurityException | RuntimeException e) {
        new TlsCredentials<>(null, watchers, timer).close();
        if (e instanceof IllegalArgumentException iae) {
          throw iae;
        }
        throw new IllegalArgumentException("cannot read the TLS files: " + e.getMessage(), e);
      }
    }
  }

  private interface Update {
    void apply() throws IOException, GeneralSecurityException;
  }
}
