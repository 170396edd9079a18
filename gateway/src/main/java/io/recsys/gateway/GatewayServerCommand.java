package io.recsys.gateway;

import io.grpc.ManagedChannel;
import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.catalog.LiveCatalog;
import io.recsys.common.config.BundleOptions;
import io.recsys.common.config.CatalogLogOptions;
import io.recsys.common.config.EnvDefaults;
import io.recsys.common.config.ServerOptions;
import io.recsys.gateway.remote.Upstream;
import io.recsys.gateway.remote.UpstreamOptions;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.common.server.ServerExecutors;
import io.recsys.common.server.ServerCounters;
import io.recsys.common.tracing.Tracing;
import io.recsys.gateway.catalog.CatalogServiceImpl;
import io.recsys.gateway.state.UserState;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code serve gateway}: the RecommenderService in front of the retrieval and ranking servers. */
@Command(name = "gateway", mixinStandardHelpOptions = true, defaultValueProvider = EnvDefaults.class,
    description = "Serve RecommenderService: fan out to candidate sources, rank, re-rank, answer; take feedback.")
public final class GatewayServerCommand implements ServerCommand {

  static final int WARMUP_REQUESTS = 30;

  /** Injected by picocli: bad option values are reported as usage errors. */
  @Spec
  CommandSpec spec;

  @Option(names = "--port", defaultValue = "50050", description = "gRPC port (default: ${DEFAULT-VALUE}; 0 = any free port)")
  int port;

  @Option(names = "--metrics-port", defaultValue = "9090",
      description = "HTTP port of the Prometheus /metrics endpoint (default: ${DEFAULT-VALUE}; 0 = none)")
  int metricsPort;

  /** The gateway reads only the light parts: items, popularity and the recent-history seed. */
  @Mixin
  BundleOptions bundle;

  /** Connections, limits, TLS and the admin port, as on every server. */
  @Mixin
  ServerOptions serverOptions;

  /** TLS towards retrieval and ranking, retries and hedging of the calls to them. */
  @Mixin
  UpstreamOptions upstreamOptions;

  /** The live catalog: CatalogService (served here) appends to it; retrieval and ranking tail it. */
  @Mixin
  CatalogLogOptions catalogLog;

  @Option(names = "--retrieval", defaultValue = "localhost:50051",
      description = "retrieval server target; dns:///host:port balances per call over every address (default: ${DEFAULT-VALUE})")
  String retrieval;

  @Option(names = "--retrieval-shards", split = ",", defaultValue = "",
      description = "targets of the shards of a sharded item index, in shard order (servers started with"
          + " --shard I/N): the two-tower source asks all and merges; popular still goes to --retrieval"
          + " (default: none, --retrieval serves the whole index)")
  List<String> retrievalShards;

  @Option(names = "--ranking", defaultValue = "localhost:50052",
      description = "ranking server target; dns:///host:port balances per call over every address (default: ${DEFAULT-VALUE})")
  String ranking;

  // the defaults are the quotas the ranker is trained on (CandidateQuotas.SERVED): other values serve
  // a candidate mix the ranker has not learned on
  @Option(names = "--two-tower-k", defaultValue = "" + CandidateQuotas.SERVED_TWO_TOWER,
      description = "candidates from the two-tower source (default: ${DEFAULT-VALUE}, as the ranker is trained)")
  int twoTowerK;

  @Option(names = "--popular-k", defaultValue = "" + CandidateQuotas.SERVED_POPULAR,
      description = "candidates from the popular source (default: ${DEFAULT-VALUE}, as the ranker is trained)")
  int popularK;

  @Option(names = "--item2item-k", defaultValue = "" + CandidateQuotas.SERVED_ITEM2ITEM,
      description = "candidates from the item2item source, neighbours of the user's recent items; 0 = off"
          + " (default: ${DEFAULT-VALUE}, as the ranker is trained)")
  int item2itemK;

  @Option(names = "--source-timeout-ms", defaultValue = "150",
      description = "deadline of each candidate source; a late one is dropped (default: ${DEFAULT-VALUE})")
  long sourceTimeoutMs;

  @Option(names = "--ranking-timeout-ms", defaultValue = "250",
      description = "deadline of the ranking call; when late, retrieval order answers (default: ${DEFAULT-VALUE})")
  long rankingTimeoutMs;

  @Option(names = "--max-per-category-fraction", defaultValue = "0.5",
      description = "diversity: at most ceil(fraction * k) items of one category; 1 = no cap (default: ${DEFAULT-VALUE})")
  double maxPerCategoryFraction;

  @Option(names = "--history-size", defaultValue = "200", description = "recent events kept per user (default: ${DEFAULT-VALUE})")
  int historySize;

  @Option(names = "--history-max-users", defaultValue = "1000000",
      description = "users whose recent history is kept in memory; the least recently used are dropped (default: ${DEFAULT-VALUE})")
  int historyMaxUsers;

  @Option(names = "--event-log", defaultValue = "",
      description = "where every Feedback and Recommend answer is logged: file:DIR[?fsync=batch|<N>ms&segment-mb=N]"
          + " (one gateway per directory; fsync=batch, the default, makes Feedback durable on disk before OK)"
          + " or kafka://HOST:PORT/TOPIC (default: file:events next to --bundle)")
  String eventLog;

  @Option(names = "--history-store", defaultValue = "embedded",
      description = "users' recent history: embedded (in memory, rebuilt from the event log at start) or"
          + " redis://HOST:PORT[?ttl-hours=N&timeout-ms=N], shared by every gateway (default: ${DEFAULT-VALUE})")
  String historyStore;

  @Option(names = "--experiment-arms", defaultValue = "control,treatment", split = ",",
      description = "experiment arms users are hashed into (default: ${DEFAULT-VALUE})")
  List<String> experimentArms;

  /** The --event-log value; by default the directory {@code events} next to the --bundle path. */
  String eventLogSpec() {
    if (!eventLog.isEmpty()) {
      return eventLog;
    }
    Path beside = bundle.path.toAbsolutePath().normalize().resolveSibling("events");
    return "file:" + beside;
  }

  /** Loads the bundle, opens the user state and the channels and starts serving; the returned server owns all of it. */
  @Override
  public RecsysServer start() throws IOException {
    GatewaySettings settings = asUsageError(() -> new GatewaySettings(twoTowerK, popularK, item2itemK, sourceTimeoutMs,
        rankingTimeoutMs, maxPerCategoryFraction, historySize, historyMaxUsers, experimentArms));
    LiveCatalog live = catalogLog.openTailing(bundle.path);
    GatewayBundle loaded;
    try {
      loaded = GatewayBundle.load(bundle.path, live);
    } catch (IOException | RuntimeException e) {
      live.close();
      throw e;
    }
    if (!loaded.servesTheRankersQuotas(settings)) {
      CandidateQuotas q = loaded.rankerQuotas();
      LoggerFactory.getLogger(GatewayServerCommand.class).warn("the ranker of bundle {} was trained on two_tower {},"
          + " popular {}, item2item {} candidates; this gateway asks for {}, {}, {}: it serves a candidate mix the ranker"
          + " has not learned on", loaded.version(), q.twoTower(), q.popular(), q.item2item(), twoTowerK, popularK,
          item2itemK);
    }
    Tracing tracing = Tracing.forServer("gateway");
    ServerCounters counters = new ServerCounters(tracing.tracer());
    UserState state = asUsageError(() -> UserState.open(eventLogSpec(), historyStore, historySize, historyMaxUsers,
        loaded, counters));
    Upstream upstream = asUsageError(() -> upstreamOptions.open(settings));
    ManagedChannel retrievalChannel;
    ManagedChannel rankingChannel;
    Map<String, ManagedChannel> shardChannels = new LinkedHashMap<>();
    try {
      retrievalChannel = GrpcChannels.open(upstream, retrieval, tracing.clientInterceptor());
      rankingChannel = GrpcChannels.open(upstream, ranking, tracing.clientInterceptor());
      for (String target : retrievalShards) {
        if (!target.isBlank()) {
          shardChannels.put(target.trim(), GrpcChannels.open(upstream, target.trim(), tracing.clientInterceptor()));
        }
      }
    } catch (RuntimeException e) {
      shardChannels.values().forEach(ManagedChannel::shutdownNow);
      state.close();
      live.close();
      throw e;
    }
    Gateway gateway = Gateway.create(settings, loaded, retrievalChannel, shardChannels, rankingChannel, counters,
        state);
    gateway.warmUp(WARMUP_REQUESTS);
    gateway.serving().watch(bundle.path, p -> p.bundle().layout().dir(),
        dir -> gateway.pipelineFor(GatewayBundle.load(dir, live)), counters, bundle.reloadIntervalMillis());
    try {
      return RecsysServer.builder("gateway", port)
          .options(serverOptions)
          .metricsPort(metricsPort)
          .tracing(tracing)
          // a Recommend mostly waits on retrieval and ranking: a virtual thread each
          .executor(ServerExecutors.waiting("gateway-call"))
          .service(gateway.service())
          .adminService(new CatalogServiceImpl(live))
          .counters(counters)
          .bundle(() -> gateway.serving().read(ServingPipeline::info))
          .owns(gateway)
          .owns(live)
          .owns(GrpcChannels.closer(retrievalChannel))
          .owns(GrpcChannels.closer(rankingChannel))
          .owns(upstream)
          .owns(() -> {
            for (ManagedChannel shard : shardChannels.values()) {
              GrpcChannels.closer(shard).close();
            }
          })
          .build()
          .start();
    } catch (IOException | RuntimeException e) {
      gateway.close();
      retrievalChannel.shutdownNow();
      rankingChannel.shutdownNow();
      shardChannels.values().forEach(ManagedChannel::shutdownNow);
      live.close();
      throw e;
    }
  }

  private interface Opening<T> {
    T open() throws IOException;
  }

  /** Bad option values (checked where they are used) become picocli usage errors. */
  private <T> T asUsageError(Opening<T> opening) throws IOException {
    try {
      return opening.open();
    } catch (IllegalArgumentException e) {
      if (spec == null) {
        throw e;
      }
      throw new ParameterException(spec.commandLine(), e.getMessage(), e);
    }
  }
}
