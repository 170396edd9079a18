package io.recsys.gateway.testing;

import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.recsys.common.server.ErrorMapping;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RecommenderServiceGrpc.RecommenderServiceBlockingStub;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.Gateway;
import io.recsys.gateway.GatewayBundle;
import io.recsys.gateway.GatewaySettings;
import io.recsys.gateway.state.UserState;
import io.recsys.state.testing.TempDirs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway over in-process transport, in front of in-test retrieval and ranking servers, itself
 * served in-process so client deadlines travel as in production. Its event log is a {@code file:}
 * log in a directory of its own, its history store the embedded one.
 */
public final class GatewayHarness implements AutoCloseable {

  /** Short deadlines keep the timeout tests fast; item2item off, so the fakes answer two sources. */
  public static final GatewaySettings SETTINGS =
      new GatewaySettings(20, 10, 0, 500, 500, 0.5, 50, 10_000, List.of("control", "treatment"));

  public final FakeRetrieval retrieval;
  public final FakeRanking ranking;
  public final ServerCounters counters = new ServerCounters();
  public final Gateway gateway;
  /** The gateway's {@code file:} event log. */
  public final Path eventLog;
  private final List<Server> servers = new ArrayList<>();
  private final List<ManagedChannel> channels = new ArrayList<>();

  public GatewayHarness(Path bundleDir, FakeRetrieval retrieval, FakeRanking ranking) throws IOException {
    this(bundleDir, retrieval, ranking, SETTINGS);
  }

  public GatewayHarness(Path bundleDir, FakeRetrieval retrieval, FakeRanking ranking,
                        GatewaySettings settings) throws IOException {
    this(GatewayBundle.load(TestBundle.write(bundleDir)), retrieval, ranking, settings);
  }

  /** A gateway reading the light parts of the given bundle. */
  public GatewayHarness(GatewayBundle bundle, FakeRetrieval retrieval, FakeRanking ranking,
                        GatewaySettings settings) throws IOException {
    this(bundle, retrieval, ranking, settings, "embedded");
  }

  /** @param historyStore a --history-store value */
  public GatewayHarness(GatewayBundle bundle, FakeRetrieval retrieval, FakeRanking ranking,
                        GatewaySettings settings, String historyStore) throws IOException {
    this.retrieval = retrieval;
    this.ranking = ranking;
    this.eventLog = Files.createTempDirectory("recsys-gateway-events");
    UserState state = UserState.open("file:" + eventLog, historyStore, settings.historySize(),
        settings.historyMaxUsers(), bundle, counters);
    this.gateway = Gateway.create(settings, bundle, channel(serve(retrieval)), channel(serve(ranking)), counters, state);
  }

  /** A client of the gateway's RecommenderService. */
  public RecommenderServiceBlockingStub client() throws IOException {
    return RecommenderServiceGrpc.newBlockingStub(channel(serve(gateway.service())));
  }

  /** Servers run handlers on their own threads (as a real server does), so a slow fake can be abandoned. */
  private String serve(io.grpc.BindableService service) throws IOException {
    String name = InProcessServerBuilder.generateName();
    // with the error mapping every recsys server has, so a failure is answered as in production
    servers.add(InProcessServerBuilder.forName(name)
        .addService(ServerInterceptors.intercept(service, new ErrorMapping())).build().start());
    return name;
  }

  private ManagedChannel channel(String name) {
    ManagedChannel c = InProcessChannelBuilder.forName(name).directExecutor().build();
    channels.add(c);
    return c;
  }

  @Override
  public void close() {
    gateway.close();
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
    try {
      for (ManagedChannel c : channels) {
        c.awaitTermination(5, TimeUnit.SECONDS);
      }
      for (Server s : servers) {
        s.awaitTermination(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    TempDirs.deleteTree(eventLog);
  }
}
