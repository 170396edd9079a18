package io.recsys.gateway;

import io.grpc.Channel;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.experiment.ExperimentArms;
import io.recsys.gateway.experiment.ExperimentMetrics;
import io.recsys.gateway.filters.CategoryFilter;
import io.recsys.gateway.filters.ExcludedItemsFilter;
import io.recsys.gateway.filters.SeenItemsFilter;
import io.recsys.gateway.filters.UnknownItemFilter;
import io.recsys.gateway.history.UserHistoryStore;
import io.recsys.gateway.hydrators.ExperimentArmHydrator;
import io.recsys.gateway.hydrators.RecentHistoryHydrator;
import io.recsys.gateway.merge.CandidateMerger;
import io.recsys.gateway.pipeline.PipelineMetrics;
import io.recsys.gateway.pipeline.RecommendPipeline;
import io.recsys.gateway.rerank.CategoryCapReranker;
import io.recsys.gateway.scoring.RankingScorer;
import io.recsys.gateway.scoring.RetrievalOrderScorer;
import io.recsys.gateway.select.TopKSelector;
import io.recsys.gateway.sideeffects.ImpressionMetrics;
import io.recsys.gateway.sources.LocalPopularSource;
import io.recsys.gateway.sources.RemoteRetrievalSource;
import java.io.IOException;

/**
 * The gateway wired together: the bundle's light parts, the user history store, the pipeline's
 * components and the RecommenderService on top. The channels belong to the caller (shared, closed
 * by the server); this owns the pipeline's executors.
 */
public final class Gateway implements AutoCloseable {

  private final GatewayBundle bundle;
  private final UserHistoryStore history;
  private final RecommendPipeline pipeline;
  private final RecommenderServiceImpl service;

  private Gateway(GatewayBundle bundle, UserHistoryStore history, RecommendPipeline pipeline,
                  RecommenderServiceImpl service) {
    this.bundle = bundle;
    this.history = history;
    this.pipeline = pipeline;
    this.service = service;
  }

  public static Gateway create(GatewaySettings settings, GatewayBundle bundle, Channel retrieval,
                               Channel ranking, ServerCounters counters) throws IOException {
    UserHistoryStore history = UserHistoryStore.seeded(bundle.layout().recentHistory(), settings.historySize());
    ExperimentArms arms = new ExperimentArms(settings.experimentArms());
    ExperimentMetrics experimentMetrics = new ExperimentMetrics(counters);
    var retrievalStub = RetrievalServiceGrpc.newBlockingStub(retrieval);
    RecommendPipeline pipeline = RecommendPipeline.builder()
        // local today, but a remote feature store would be a hydrator too: same budget as a source
        .hydratorTimeoutMs(settings.sourceTimeoutMs())
        .hydrator(new RecentHistoryHydrator(history))
        .hydrator(new ExperimentArmHydrator(arms))
        .source(new RemoteRetrievalSource(CandidateSources.TWO_TOWER, retrievalStub,
            settings.twoTowerK(), settings.sourceTimeoutMs()))
        .source(new RemoteRetrievalSource(CandidateSources.POPULAR, retrievalStub,
            settings.popularK(), settings.sourceTimeoutMs()))
        .fallbackSource(new LocalPopularSource(bundle.catalog(), bundle.popularity(), settings.popularK()))
        .merger(new CandidateMerger(bundle.catalog()))
        .filter(new UnknownItemFilter())
        .filter(new SeenItemsFilter())
        .filter(new ExcludedItemsFilter())
        .filter(new CategoryFilter(bundle.catalog()))
        .scorer(new RankingScorer(RankingServiceGrpc.newBlockingStub(ranking), settings.rankingTimeoutMs()))
        .fallbackScorer(new RetrievalOrderScorer(bundle.popularity()))
        .reranker(new CategoryCapReranker(bundle.catalog(), settings.maxPerCategoryFraction()))
        .selector(new TopKSelector())
        .sideEffect(new ImpressionMetrics(experimentMetrics))
        .bundleVersion(bundle.version())
        .metrics(new PipelineMetrics(counters))
        .build();
    RecommenderServiceImpl service =
        new RecommenderServiceImpl(pipeline, history, bundle.catalog(), arms, experimentMetrics);
    return new Gateway(bundle, history, pipeline, service);
  }

  public RecommenderServiceImpl service() {
    return service;
  }

  public GatewayBundle bundle() {
    return bundle;
  }

  public UserHistoryStore history() {
    return history;
  }

  @Override
  public void close() {
    pipeline.close();
  }
}
