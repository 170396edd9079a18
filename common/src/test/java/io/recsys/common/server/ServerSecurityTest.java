package io.recsys.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.ForwardingClientCall.SimpleForwardingClientCall;
import io.grpc.ForwardingClientCallListener.SimpleForwardingClientCallListener;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.MetadataUtils;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.security.BearerTokenAuth;
import io.recsys.common.security.TestPki;
import io.recsys.common.security.TlsCredentials;
import java.math.BigInteger;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real servers on ports with certificates made here: TLS, mTLS (a client without the right
 * certificate cannot connect), certificates reloaded from disk, and the admin API on its own port
 * behind a bearer token.
 */
class ServerSecurityTest {

  @TempDir
  static Path dir;

  static TestPki ca;
  static Path caFile;
  static TestPki.Issued serverCert;
  static TestPki.Issued clientCert;
  static TestPki.Issued strangerCert;
  static Path strangerCa;

  private final List<AutoCloseable> open = new ArrayList<>();

  @BeforeAll
  static void pki() throws Exception {
    ca = TestPki.ca("recsys-test-ca");
    caFile = ca.writeCa(dir.resolve("ca.crt"));
    serverCert = ca.issue("server", dir);
    clientCert = ca.issue("gateway", dir);
    TestPki other = TestPki.ca("someone-else");
    strangerCa = other.writeCa(dir.resolve("other-ca.crt"));
    strangerCert = other.issue("stranger", dir);
  }

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  private RecsysServer start(ServerOptions options) throws Exception {
    RecsysServer server = RecsysServer.builder("test", 0).service(new InFlightLimitTest.HeldService())
        .options(options).build().start();
    open.add(server);
    return server;
  }

  private static ServerOptions tls(Path cert, Path key, Path clientCa) {
    ServerOptions o = ServerOptions.defaults();
    o.tlsCert = cert;
    o.tlsKey = key;
    o.tlsCa = clientCa;
    o.tlsRefreshSeconds = 1;
    return o;
  }

  private ManagedChannel channel(int port, ChannelCredentials credentials) {
    ManagedChannel c = Grpc.newChannelBuilder("localhost:" + port, credentials).build();
    open.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return c;
  }

  private ChannelCredentials client(Path trust, TestPki.Issued identity) {
    TlsCredentials<ChannelCredentials> c = TlsCredentials.client(trust,
        identity == null ? null : identity.cert(), identity == null ? null : identity.key(), Duration.ofSeconds(60));
    open.add(c);
    return c.credentials();
  }

  private static Status health(Channel channel) {
    try {
      HealthGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
          .check(HealthCheckRequest.getDefaultInstance());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  @Test
  void tlsServesClientsThatTrustItsCaAndRefusesPlaintext() throws Exception {
    RecsysServer server = start(tls(serverCert.cert(), serverCert.key(), null));
    assertThat(health(channel(server.port(), client(caFile, null))).isOk()).isTrue();
    assertThat(health(channel(server.port(), InsecureChannelCredentials.create())).getCode())
        .isEqualTo(Status.Code.UNAVAILABLE);
    // a client that trusts another CA refuses the server
    assertThat(health(channel(server.port(), client(strangerCa, null))).getCode()).isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void withAClientCaOnlyClientsWithACertificateOfThatCaConnect() throws Exception {
    RecsysServer server = start(tls(serverCert.cert(), serverCert.key(), caFile));
    Channel gateway = channel(server.port(), client(caFile, clientCert));
    assertThat(health(gateway).isOk()).isTrue();

    assertThat(health(channel(server.port(), client(caFile, null))).getCode())
        .as("no client certificate").isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(health(channel(server.port(), client(caFile, strangerCert))).getCode())
        .as("a certificate of another CA").isEqualTo(Status.Code.UNAVAILABLE);
  }

  @Test
  void aCertificateReplacedOnDiskServesNewConnections() throws Exception {
    Path live = dir.resolve("live");
    TestPki.Issued first = ca.issue("first", live);
    TestPki.Issued installed = new TestPki.Issued(first.certificate(), live.resolve("server.crt"), live.resolve("server.key"));
    first.copyOver(installed);
    RecsysServer server = start(tls(installed.cert(), installed.key(), null));
    assertThat(servedSerial(server.port())).isEqualTo(first.serial());

    TestPki.Issued second = ca.issue("second", dir.resolve("rotated"));
    second.copyOver(installed);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    BigInteger served = first.serial();
    while (System.nanoTime() < until && served.equals(first.serial())) {
      Thread.sleep(200);
      served = servedSerial(server.port());
    }
    assertThat(served).as("the certificate a new connection gets after the files changed").isEqualTo(second.serial());
  }

  /** The serial number of the certificate the server presents to a new connection. */
  private BigInteger servedSerial(int port) throws Exception {
    AtomicReference<SSLSession> session = new AtomicReference<>();
    ClientInterceptor capture = new ClientInterceptor() {
      @Override
      public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
        ClientCall<Q, R> call = next.newCall(method, options);
        return new SimpleForwardingClientCall<>(call) {
          @Override
          public void start(Listener<R> listener, Metadata headers) {
            super.start(new SimpleForwardingClientCallListener<>(listener) {
              @Override
              public void onHeaders(Metadata h) {
                session.set(call.getAttributes().get(Grpc.TRANSPORT_ATTR_SSL_SESSION));
                super.onHeaders(h);
              }
            }, headers);
          }
        };
      }
    };
    ManagedChannel c = channel(port, client(caFile, null));
    try {
      assertThat(health(io.grpc.ClientInterceptors.intercept(c, capture)).isOk()).isTrue();
      return ((X509Certificate) session.get().getPeerCertificates()[0]).getSerialNumber();
    } finally {
      c.shutdownNow();
    }
  }

  @Test
  void theAdminApiMovesToItsOwnPortAndNeedsTheToken() throws Exception {
    ServerOptions o = ServerOptions.defaults();
    o.adminPort = 0;
    o.adminToken = "s3cret-token";
    RecsysServer server = start(o);
    assertThat(server.adminPort()).isNotEqualTo(server.port());

    Channel api = channel(server.port(), InsecureChannelCredentials.create());
    assertThatThrownBy(() -> AdminServiceGrpc.newBlockingStub(api).getStatus(GetStatusRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));

    Channel admin = channel(server.adminPort(), InsecureChannelCredentials.create());
    assertThat(adminStatus(admin, null)).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(adminStatus(admin, "wrong-token")).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThat(adminStatus(admin, "s3cret-token")).isEqualTo(Status.Code.OK);
    // health answers on both ports (probes), without a token
    assertThat(health(api).isOk()).isTrue();
    assertThat(health(admin).isOk()).isTrue();
  }

  @Test
  void withoutATokenTheAdminApiIsOpenOnTheApiPort() throws Exception {
    RecsysServer server = start(ServerOptions.defaults());
    assertThat(server.adminPort()).isEqualTo(server.port());
    assertThat(adminStatus(channel(server.port(), InsecureChannelCredentials.create()), null)).isEqualTo(Status.Code.OK);
  }

  private static Status.Code adminStatus(Channel channel, String token) {
    var stub = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    if (token != null) {
      Metadata h = new Metadata();
      h.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), BearerTokenAuth.header(token));
      stub = stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }
    try {
      assertThat(stub.getStatus(GetStatusRequest.getDefaultInstance()).getServer()).isEqualTo("test");
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }
}
