package io.recsys.gateway;

import io.grpc.Channel;
import io.grpc.Deadline;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.reload.BundleHolder;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.experiment.ExperimentMetrics;
import io.recsys.gateway.filters.CategoryFilter;
import io.recsys.gateway.filters.DeletedItemsFilter;
import io.recsys.gateway.filters.ExcludedItemsFilter;
import io.recsys.gateway.filters.SeenItemsFilter;
import io.recsys.gateway.filters.UnknownItemFilter;
import io.recsys.gateway.hydrators.ExperimentArmHydrator;
import io.recsys.gateway.hydrators.RecentHistoryHydrator;
import io.recsys.gateway.merge.CandidateMerger;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.PipelineMetrics;
import io.recsys.gateway.pipeline.RecommendPipeline;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.rerank.CategoryCapReranker;
import io.recsys.gateway.rerank.NewItemPlacement;
import io.recsys.gateway.scoring.RankingScorer;
import io.recsys.gateway.scoring.RetrievalOrderScorer;
import io.recsys.gateway.select.TopKSelector;
import io.recsys.gateway.sideeffects.ImpressionMetrics;
import io.recsys.gateway.sources.LocalPopularSource;
import io.recsys.gateway.sources.RemoteRetrievalSource;
import io.recsys.gateway.sources.ShardedRetrievalSource;
import io.recsys.gateway.state.UserState;
import io.recsys.state.history.HistoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * The gateway wired together: the bundle's light parts, the user state (event log + history
 * store), the pipeline's components and the RecommenderService on top. The channels belong to the
 * caller (shared, closed by the server); this owns the pipeline's executors and the user state.
 */
public final class Gateway implements AutoCloseable {

  private final GatewaySettings settings;
  private final UserState state;
  private final ExperimentArms arms;
  private final ExperimentMetrics experimentMetrics;
  private final RetrievalServiceGrpc.RetrievalServiceFutureStub retrieval;
  /** One stub per shard of a sharded item index, in shard order; empty when unsharded. */
  private final List<RetrievalServiceGrpc.RetrievalServiceFutureStub> shards;
  private final List<String> shardTargets;
  private final RankingServiceGrpc.RankingServiceBlockingStub ranking;
  private final ServerCounters counters;
  private final BundleHolder<ServingPipeline> serving;
  private final RecommenderServiceImpl service;

  private Gateway(GatewaySettings settings, GatewayBundle bundle, Channel retrieval,
                  Map<String, ? extends Channel> retrievalShards, Channel ranking, ServerCounters counters,
                  UserState state) {
    this.settings = settings;
    this.state = state;
    this.arms = new ExperimentArms(settings.experimentArms());
    this.experimentMetrics = new ExperimentMetrics(counters);
    this.retrieval = RetrievalServiceGrpc.newFutureStub(retrieval);
    this.shardTargets = List.copyOf(retrievalShards.keySet());
    this.shards = retrievalShards.values().stream().map(RetrievalServiceGrpc::newFutureStub).toList();
    this.ranking = RankingServiceGrpc.newBlockingStub(ranking);
    this.counters = counters;
    this.serving = new BundleHolder<>(pipelineFor(bundle), p -> p.bundle().version());
    this.service = new RecommenderServiceImpl(serving, state, arms, experimentMetrics);
  }

  /**
   * @param bundle the first bundle served; later bundles (see {@link #pipelineFor}) replace catalog
   *     and popularity but never the live history
   * @param state opened over {@code bundle} (see {@link UserState#open}); the gateway closes it
   */
  public static Gateway create(GatewaySettings settings, GatewayBundle bundle, Channel retrieval,
                               Channel ranking, ServerCounters counters, UserState state) {
    return create(settings, bundle, retrieval, Map.of(), ranking, counters, state);
  }

  /**
   * @param retrievalShards target -> channel of each shard of a sharded item index, in shard
   *     order: the two-tower source fans out to all of them ({@link ShardedRetrievalSource});
   *     empty when {@code retrieval} serves the whole index. Non-vector sources (popular) are
   *     answered alike by every shard and go to {@code retrieval}.
   */
  public static Gateway create(GatewaySettings settings, GatewayBundle bundle, Channel retrieval,
                               Map<String, ? extends Channel> retrievalShards, Channel ranking,
                               ServerCounters counters, UserState state) {
    return new Gateway(settings, bundle, retrieval, retrievalShards, ranking, counters, state);
  }

  /** The candidate pipeline over one bundle's catalog and popularity; the stage order lives in RecommendPipeline. */
  ServingPipeline pipelineFor(GatewayBundle bundle) {
    return pipelineFor(bundle, counters, experimentMetrics);
  }

  private ServingPipeline pipelineFor(GatewayBundle bundle, ServerCounters counters,
                                      ExperimentMetrics experimentMetrics) {
    RecommendPipeline.Builder builder = RecommendPipeline.builder()
        // local today, but a remote feature store would be a hydrator too: same budget as a source
        .hydratorTimeoutMs(settings.sourceTimeoutMs())
        .hydrator(new RecentHistoryHydrator(state.history()))
        .hydrator(new ExperimentArmHydrator(arms))
        .source(twoTower(bundle))
        .source(new RemoteRetrievalSource(CandidateSources.POPULAR, retrieval,
            settings.popularK(), settings.sourceTimeoutMs(), false));
    if (settings.item2itemK() > 0) {
      // not a vector search: every shard holds all the lists, so --retrieval answers it like popular
      builder.source(new RemoteRetrievalSource(CandidateSources.ITEM2ITEM, retrieval,
          settings.item2itemK(), settings.sourceTimeoutMs(), true));
    }
    RecommendPipeline pipeline = builder
        .fallbackSource(new LocalPopularSource(bundle.catalog(), bundle.popularity(), settings.popularK()))
        .merger(new CandidateMerger(bundle.catalog()))
        .filter(new DeletedItemsFilter(bundle::isDeleted))
        .filter(new UnknownItemFilter())
        .filter(new SeenItemsFilter())
        .filter(new ExcludedItemsFilter())
        .filter(new CategoryFilter(bundle.catalog()))
        .scorer(new RankingScorer(ranking, settings.rankingTimeoutMs()))
        .fallbackScorer(new RetrievalOrderScorer(bundle.popularity()))
        .reranker(new NewItemPlacement(bundle.catalog()))
        .reranker(new CategoryCapReranker(bundle.catalog(), settings.maxPerCategoryFraction()))
        .selector(new TopKSelector())
        .sideEffect(new ImpressionMetrics(experimentMetrics))
        .bundleVersion(bundle.version())
        .metrics(new PipelineMetrics(counters))
        .build();
    return new ServingPipeline(bundle, pipeline);
  }

  /** The two-tower source: the retrieval server, or every shard of the index merged. */
  private CandidateSource twoTower(GatewayBundle bundle) {
    if (shards.isEmpty()) {
      return new RemoteRetrievalSource(CandidateSources.TWO_TOWER, retrieval, settings.twoTowerK(),
          settings.sourceTimeoutMs(), true);
    }
    List<RemoteRetrievalSource> perShard = shards.stream().map(stub -> new RemoteRetrievalSource(
        CandidateSources.TWO_TOWER, stub, settings.twoTowerK(), settings.sourceTimeoutMs(), true)).toList();
    return new ShardedRetrievalSource(CandidateSources.TWO_TOWER, perShard, shardTargets,
        settings.twoTowerK(), settings.sourceTimeoutMs(), bundle.catalog());
  }

  /**
   * Runs the whole pipeline a few times on made-up sessions before the gateway takes traffic, so
   * the first real requests do not pay for class loading and JIT of the client and server paths
   * (which would time their sources out). Failures are fine here: the backends may not be up yet.
   * It runs on a pipeline of its own whose metrics are thrown away, so counters show real traffic.
   */
  void warmUp(int requests) {
    Random rnd = new Random(0);
    ServerCounters scratch = new ServerCounters();
    try (ServingPipeline warm = pipelineFor(bundle(), scratch, new ExperimentMetrics(scratch))) {
      ItemCatalog catalog = warm.bundle().catalog();
      long now = System.currentTimeMillis();
      for (int r = 0; r < requests; r++) {
        List<Event> session = new ArrayList<>();
        for (int e = 0; e < 5; e++) {
          session.add(Event.newBuilder().setItemId(catalog.id(rnd.nextInt(catalog.size())))
              .setType(EventType.VIEW).setTimestampMs(now - (5 - e) * 1000L).build());
        }
        RecommendQuery query = RecommendQuery.of("recsys-warm-up-" + r, session,
            io.recsys.api.v1.Context.getDefaultInstance(), Filters.getDefaultInstance(), 10, false, now);
        try {
          warm.pipeline().run(query, Deadline.after(2, TimeUnit.SECONDS));
        } catch (RuntimeException e) {
          // the backends may still be starting; the pipeline has fallbacks for that anyway
        }
      }
    }
  }

  public RecommenderServiceImpl service() {
    return service;
  }

  BundleHolder<ServingPipeline> serving() {
    return serving;
  }

  public GatewayBundle bundle() {
    return serving.read(ServingPipeline::bundle);
  }

  public HistoryStore history() {
    return state.history();
  }

  public UserState state() {
    return state;
  }

  @Override
  public void close() {
    try {
      serving.close();
    } finally {
      state.close();
    }
  }
}
