package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.BindableService;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.config.ServerOptions;
import io.recsys.common.server.RecsysServer;
import io.recsys.gateway.remote.Upstream;
import io.recsys.gateway.remote.UpstreamOptions;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.TestBundle;
import java.net.SocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

/**
 * The gateway's channels to real servers on ports: the service config retries a Rank that a replica
 * answered UNAVAILABLE or that failed UNKNOWN, hedges and times out Retrieve, and the servers' maxConnectionAge makes the
 * channel connect again (where it re-resolves and meets new replicas).
 */
class UpstreamChannelsTest {

  @TempDir
  Path dir;

  private final List<AutoCloseable> open = new ArrayList<>();

  @AfterEach
  void close() throws Exception {
    for (int i = open.size() - 1; i >= 0; i--) {
      open.get(i).close();
    }
  }

  /** Fails the first {@code failures} calls with a status; counts calls. */
  static final class FailingFirst implements ServerInterceptor {
    final AtomicInteger calls = new AtomicInteger();
    final int failures;
    final Status status;

    /** Answers UNAVAILABLE, as a replica that is going away does. */
    FailingFirst(int failures) {
      this(failures, Status.UNAVAILABLE.withDescription("replica going away"));
    }

    FailingFirst(int failures, Status status) {
      this.failures = failures;
      this.status = status;
    }

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
      if (calls.incrementAndGet() <= failures) {
        call.close(status, new Metadata());
        return new ServerCall.Listener<>() {};
      }
      return next.startCall(call, headers);
    }
  }

  /** Records the client address of every call: a new address is a new connection. */
  static final class Connections implements ServerInterceptor {
    final Set<SocketAddress> seen = ConcurrentHashMap.newKeySet();

    @Override
    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                       ServerCallHandler<Q, R> next) {
      seen.add(call.getAttributes().get(Grpc.TRANSPORT_ATTR_REMOTE_ADDR));
      return next.startCall(call, headers);
    }
  }

  private RecsysServer server(BindableService service, ServerOptions options, ServerInterceptor... interceptors)
      throws Exception {
    BindableService intercepted = () -> ServerInterceptors.intercept(service, interceptors);
    RecsysServer s = RecsysServer.builder("upstream", 0).service(intercepted).options(options).build().start();
    open.add(s);
    return s;
  }

  /** Channels with the default 150 ms source timeout, and 5 s for Rank: a cold JVM's first call is slow. */
  private Upstream upstream(UpstreamOptions o) {
    GatewaySettings d = GatewaySettings.defaults();
    Upstream u = o.open(new GatewaySettings(d.twoTowerK(), d.popularK(), d.item2itemK(), d.sourceTimeoutMs(), 5_000,
        d.maxPerCategoryFraction(), d.historySize(), d.historyMaxUsers(), d.experimentArms()));
    open.add(u);
    return u;
  }

  private ManagedChannel channel(Upstream upstream, int port) {
    ManagedChannel c = GrpcChannels.open(upstream, "localhost:" + port);
    open.add(() -> c.shutdownNow().awaitTermination(5, TimeUnit.SECONDS));
    return c;
  }

  private static RankRequest rankRequest() {
    return RankRequest.newBuilder().setUserId("u").addCandidates(
        io.recsys.api.v1.RankCandidate.newBuilder().setItemId("i01")).build();
  }

  /**
   * UNAVAILABLE: a replica going away; UNKNOWN "channel closed": what grpc-java reports when a killed
   * replica resets the connection under a call (grpc-java#10120).
   */
  @ParameterizedTest
  @EnumSource(value = Status.Code.class, names = {"UNAVAILABLE", "UNKNOWN"})
  void aFailedRankIsRetriedAndSucceeds(Status.Code code) throws Exception {
    FailingFirst failing = new FailingFirst(1, code.toStatus().withDescription("channel closed"));
    RecsysServer ranking = server(new FakeRanking(), ServerOptions.defaults(), failing);
    var stub = RankingServiceGrpc.newBlockingStub(channel(upstream(UpstreamOptions.defaults()), ranking.port()));

    assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).rank(rankRequest()).getItemsCount()).isEqualTo(1);
    assertThat(failing.calls.get()).as("attempts the server saw").isEqualTo(2);
  }

  @Test
  void withoutRetriesTheSameFailureReachesTheCaller() throws Exception {
    FailingFirst failing = new FailingFirst(1);
    RecsysServer ranking = server(new FakeRanking(), ServerOptions.defaults(), failing);
    UpstreamOptions once = UpstreamOptions.defaults();
    once.maxAttempts = 1;
    var stub = RankingServiceGrpc.newBlockingStub(channel(upstream(once), ranking.port()));

    assertThatThrownBy(() -> stub.withDeadlineAfter(5, TimeUnit.SECONDS).rank(rankRequest()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
  }

  @Test
  void theGatewayAnswersUndegradedWhenRankingFailsOnce() throws Exception {
    Path bundle = TestBundle.write(dir);
    RecsysServer retrieval = server(new FakeRetrieval().answer("two_tower", List.of("i03", "i04"))
        .answer("popular", List.of("i00")), ServerOptions.defaults());
    FailingFirst failing = new FailingFirst(1);
    RecsysServer ranking = server(new FakeRanking(), ServerOptions.defaults(), failing);
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs("--port", "0", "--bundle", bundle.toString(),
        "--retrieval", "localhost:" + retrieval.port(), "--ranking", "localhost:" + ranking.port(),
        "--event-log", "file:" + dir.resolve("events"), "--metrics-port", "0",
        "--source-timeout-ms", "3000", "--ranking-timeout-ms", "3000");
    RecsysServer gateway = command.start();
    open.add(gateway);
    // the warm-up made ranking calls: fail the next one
    failing.calls.set(0);
    ManagedChannel client = Grpc.newChannelBuilder("localhost:" + gateway.port(), InsecureChannelCredentials.create())
        .build();
    open.add(client::shutdownNow);

    RecommendResponse r = RecommenderServiceGrpc.newBlockingStub(client).withDeadlineAfter(10, TimeUnit.SECONDS)
        .recommend(RecommendRequest.newBuilder().setUserId("u").setK(3).build());
    assertThat(r.getDegraded()).as("degraded: %s", r.getDegradedReasonsList()).isFalse();
    assertThat(failing.calls.get()).isEqualTo(2);
  }

  /** Never answers: only a deadline ends its calls. */
  static final class Silent extends RetrievalServiceGrpc.RetrievalServiceImplBase {
    final AtomicInteger calls = new AtomicInteger();

    @Override
    public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
      if (calls.incrementAndGet() > 1) {
        out.onNext(RetrieveResponse.newBuilder().setSource("hedge").build());
        out.onCompleted();
      }
    }
  }

  @Test
  void retrieveHasTheSourceTimeoutEvenWithoutADeadline() throws Exception {
    Silent silent = new Silent();
    RecsysServer retrieval = server(silent, ServerOptions.defaults());
    var stub = RetrievalServiceGrpc.newBlockingStub(channel(upstream(UpstreamOptions.defaults()), retrieval.port()));
    long start = System.nanoTime();
    assertThatThrownBy(() -> stub.retrieve(RetrieveRequest.getDefaultInstance()))
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    // the default source timeout is 150 ms; generous for a busy machine
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(3_000);
  }

  @Test
  void aHedgedRetrieveIsAnsweredByTheSecondAttempt() throws Exception {
    Silent silent = new Silent();
    RecsysServer retrieval = server(silent, ServerOptions.defaults());
    UpstreamOptions hedged = UpstreamOptions.defaults();
    hedged.hedgeRetrievalMs = 20;
    var stub = RetrievalServiceGrpc.newBlockingStub(channel(upstream(hedged), retrieval.port()));
    assertThat(stub.retrieve(RetrieveRequest.getDefaultInstance()).getSource()).isEqualTo("hedge");
    // the first attempt never answers: the one hedge, 20 ms later, did
    assertThat(silent.calls.get()).isEqualTo(2);
  }

  @Test
  void maxConnectionAgeMakesTheChannelConnectAgainWithoutFailingCalls() throws Exception {
    ServerOptions aging = ServerOptions.defaults();
    aging.maxConnectionAgeSeconds = 1;
    aging.maxConnectionAgeGraceSeconds = 1;
    Connections connections = new Connections();
    RecsysServer ranking = server(new FakeRanking(), aging, connections);
    var stub = RankingServiceGrpc.newBlockingStub(channel(upstream(UpstreamOptions.defaults()), ranking.port()));

    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(3_500);
    int calls = 0;
    while (System.nanoTime() < until) {
      assertThat(stub.withDeadlineAfter(5, TimeUnit.SECONDS).rank(rankRequest()).getItemsCount()).isEqualTo(1);
      calls++;
      Thread.sleep(50);
    }
    assertThat(calls).isGreaterThan(10);
    // a connection lasts ~1 s (+/- 10% jitter): 3.5 s of calls come over at least 3 of them
    assertThat(connections.seen).hasSizeGreaterThanOrEqualTo(3);
  }
}
