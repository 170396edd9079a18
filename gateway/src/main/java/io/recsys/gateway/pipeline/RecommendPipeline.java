package io.recsys.gateway.pipeline;

import io.grpc.Deadline;
import io.recsys.gateway.merge.CandidateMerger;
import io.recsys.gateway.merge.CandidateMerger.SourceCandidates;
import io.recsys.gateway.pipeline.CandidateSource.Answer;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import io.recsys.gateway.pipeline.ParallelStage.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Recommend call as a sequence of stages; the only place that knows their order:
 * <ol>
 *   <li>query hydrators, in parallel</li>
 *   <li>candidate sources, in parallel, each under its own deadline; late or failed ones are
 *       dropped, and when all fail the local fallback source answers</li>
 *   <li>merge + de-duplicate</li>
 *   <li>filters</li>
 *   <li>scorer, falling back to the fallback scorer when it fails or is late</li>
 *   <li>re-rankers</li>
 *   <li>selector</li>
 *   <li>side effects, on their own thread, never on the latency path</li>
 * </ol>
 * Every stage is timed and counted ({@link PipelineMetrics}); the client's deadline is checked
 * before each stage ({@link RequestDeadline}).
 */
public final class RecommendPipeline implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(RecommendPipeline.class);

  private final long hydratorTimeoutMs;
  private final List<QueryHydrator> hydrators;
  private final List<CandidateSource> sources;
  private final CandidateSource fallbackSource;
  private final CandidateMerger merger;
  private final List<Filter> filters;
  private final Scorer scorer;
  private final Scorer fallbackScorer;
  private final List<Reranker> rerankers;
  private final Selector selector;
  private final List<SideEffect> sideEffects;
  private final String bundleVersion;
  private final PipelineMetrics metrics;
  /** Hydrators may block on I/O (a remote history store): a virtual thread each. */
  private final ExecutorService parallel = Executors.newVirtualThreadPerTaskExecutor();
  /** One thread and a bounded queue: when side effects fall behind they are dropped, not queued forever. */
  private final ThreadPoolExecutor sideEffectExecutor = new ThreadPoolExecutor(1, 1, 0,
      TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(10_000),
      Thread.ofPlatform().name("gateway-side-effects").daemon().factory());

  private RecommendPipeline(Builder b) {
    this.hydratorTimeoutMs = b.hydratorTimeoutMs;
    this.hydrators = List.copyOf(b.hydrators);
    this.sources = List.copyOf(b.sources);
    this.fallbackSource = Objects.requireNonNull(b.fallbackSource, "fallbackSource");
    this.merger = Objects.requireNonNull(b.merger, "merger");
    this.filters = List.copyOf(b.filters);
    this.scorer = Objects.requireNonNull(b.scorer, "scorer");
    this.fallbackScorer = Objects.requireNonNull(b.fallbackScorer, "fallbackScorer");
    this.rerankers = List.copyOf(b.rerankers);
    this.selector = Objects.requireNonNull(b.selector, "selector");
    this.sideEffects = List.copyOf(b.sideEffects);
    this.bundleVersion = b.bundleVersion;
    this.metrics = Objects.requireNonNull(b.metrics, "metrics");
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * @param clientDeadline the caller's gRPC deadline, or null
   * @throws io.grpc.StatusRuntimeException DEADLINE_EXCEEDED when the client's deadline passes
   */
  public RecommendResult run(RecommendQuery request, Deadline clientDeadline) {
    RequestDeadline deadline = new RequestDeadline(clientDeadline);
    RequestTrace trace = new RequestTrace(metrics, request.debug());

    deadline.check("hydration");
    RecommendQuery query = hydrate(request, deadline, trace);

    deadline.check("candidate retrieval");
    List<SourceCandidates> retrieved = retrieve(query, deadline, trace);

    long start = System.nanoTime();
    List<Candidate> candidates = merger.merge(retrieved);
    trace.stage("merge", RequestTrace.microsSince(start),
        retrieved.stream().mapToInt(r -> r.candidates().size()).sum(), candidates.size(), RequestTrace.OK);

    candidates = filter(query, candidates, trace);

    Scorer.Scored scored = score(query, candidates, deadline, trace);
    List<Candidate> ranked = scored.ranked();

    for (Reranker r : rerankers) {
      start = System.nanoTime();
      int in = ranked.size();
      ranked = r.rerank(query, ranked);
      trace.stage("reranker:" + r.name(), RequestTrace.microsSince(start), in, ranked.size(), RequestTrace.OK);
    }

    start = System.nanoTime();
    List<Candidate> selected = selector.select(query, ranked);
    trace.stage("selector:" + selector.name(), RequestTrace.microsSince(start), ranked.size(),
        selected.size(), RequestTrace.OK);

    String modelVersion = scored.modelVersion().isEmpty() ? bundleVersion : scored.modelVersion();
    trace.note("experiment_arm", query.arm());
    trace.note("history_events", Integer.toString(query.history().size()));
    trace.note("model_version", modelVersion);
    trace.note("gateway_bundle_version", bundleVersion);
    RecommendResult result = new RecommendResult(query, selected, modelVersion,
        trace.finish(), trace.debugInfo());
    runSideEffects(query, result);
    return result;
  }

  /** Stage 1. A failed hydrator leaves its part out; the request goes on (e.g. without stored history). */
  private RecommendQuery hydrate(RecommendQuery request, RequestDeadline deadline, RequestTrace trace) {
    // the caller's gRPC context travels with the hydrators, so a cancelled request cancels their calls
    io.grpc.Context context = io.grpc.Context.current();
    List<Outcome<QueryHydrator, UnaryOperator<RecommendQuery>>> parts = ParallelStage.run(
        hydrators, deadline, h -> hydratorTimeoutMs,
        (h, d) -> h.inMemory() ? CompletableFuture.completedFuture(h.hydrate(request))
            : CompletableFuture.supplyAsync(() -> h.hydrate(request), context.fixedContextExecutor(parallel)));
    RecommendQuery query = request;
    for (var part : parts) {
      trace.stage("hydrator:" + part.component().name(), part.micros(), 0, 0, part.status());
      if (part.ok()) {
        query = part.value().apply(query);
      } else {
        trace.degraded("hydrator " + part.component().name() + " left out: " + part.failure());
      }
    }
    return query;
  }

  /** Stage 2, with the fallback when no remote source answered. */
  private List<SourceCandidates> retrieve(RecommendQuery query, RequestDeadline deadline, RequestTrace trace) {
    List<Outcome<CandidateSource, Answer>> outcomes = ParallelStage.run(
        sources, deadline, CandidateSource::timeoutMs, (s, d) -> s.fetch(query, d));
    List<SourceCandidates> answered = new ArrayList<>();
    for (var o : outcomes) {
      String name = o.component().name();
      if (o.ok()) {
        Answer a = o.value();
        trace.stage("source:" + name, o.micros(), 0, a.candidates().size(),
            a.partial() ? "partial: " + String.join("; ", a.missing()) : RequestTrace.OK);
        for (String missing : a.missing()) {
          trace.degraded("candidate source " + name + " partial: " + missing);
        }
        answered.add(new SourceCandidates(name, a.candidates()));
      } else {
        trace.stage("source:" + name, o.micros(), 0, 0, o.status());
        trace.degraded("candidate source " + name + " dropped: " + o.failure());
      }
    }
    if (answered.isEmpty()) {
      deadline.check("the fallback candidate source");
      long start = System.nanoTime();
      List<Retrieved> local = fallbackSource.fetch(query, deadline.forStage(fallbackSource.timeoutMs())).join()
          .candidates();
      trace.stage("source:" + fallbackSource.name(), RequestTrace.microsSince(start), 0, local.size(),
          RequestTrace.OK);
      trace.degraded("no remote candidate source answered; candidates from the gateway's "
          + fallbackSource.name() + " fallback");
      answered.add(new SourceCandidates(fallbackSource.name(), local));
    }
    return answered;
  }

  /** Stage 4. */
  private List<Candidate> filter(RecommendQuery query, List<Candidate> candidates, RequestTrace trace) {
    for (Filter f : filters) {
      long start = System.nanoTime();
      List<Candidate> kept = candidates.stream().filter(f.keep(query)).toList();
      trace.stage("filter:" + f.name(), RequestTrace.microsSince(start), candidates.size(), kept.size(),
          RequestTrace.OK);
      candidates = kept;
    }
    return candidates;
  }

  /** Stage 5, where the scoring fallback happens. */
  private Scorer.Scored score(RecommendQuery query, List<Candidate> candidates, RequestDeadline deadline,
                              RequestTrace trace) {
    if (candidates.isEmpty()) {
      trace.stage("scorer:" + scorer.name(), 0, 0, 0, "skipped: no candidates");
      return new Scorer.Scored(List.of(), "");
    }
    deadline.check("scoring");
    long start = System.nanoTime();
    try {
      Scorer.Scored scored = scorer.score(query, candidates, deadline.forStage(scorer.timeoutMs()));
      trace.stage("scorer:" + scorer.name(), RequestTrace.microsSince(start), candidates.size(),
          scored.ranked().size(), RequestTrace.OK);
      return scored;
    } catch (RuntimeException e) {
      String failure = ParallelStage.describe(e, scorer.timeoutMs());
      trace.stage("scorer:" + scorer.name(), RequestTrace.microsSince(start), candidates.size(), 0, failure);
      deadline.check("the fallback scorer");
      trace.degraded("scorer " + scorer.name() + " " + failure + "; ordered by " + fallbackScorer.name());
      start = System.nanoTime();
      Scorer.Scored scored = fallbackScorer.score(query, candidates, deadline.forStage(fallbackScorer.timeoutMs()));
      trace.stage("scorer:" + fallbackScorer.name(), RequestTrace.microsSince(start), candidates.size(),
          scored.ranked().size(), RequestTrace.OK);
      return scored;
    }
  }

  /** Stage 8: off the request thread; a failing side effect is logged and never fails the request. */
  private void runSideEffects(RecommendQuery query, RecommendResult result) {
    if (sideEffects.isEmpty()) {
      return;
    }
    try {
      sideEffectExecutor.execute(() -> {
        for (SideEffect s : sideEffects) {
          try {
            s.apply(query, result);
          } catch (RuntimeException e) {
            metrics.increment("side_effect." + s.name() + ".failed");
            log.warn("side effect {} failed", s.name(), e);
          }
        }
      });
    } catch (RejectedExecutionException e) {
      metrics.increment("side_effects.dropped");
    }
  }

  /** Lets queued side effects finish (briefly), then stops the executors. */
  @Override
  public void close() {
    sideEffectExecutor.shutdown();
    parallel.shutdown();
    try {
      if (!sideEffectExecutor.awaitTermination(2, TimeUnit.SECONDS)) {
        sideEffectExecutor.shutdownNow();
      }
      if (!parallel.awaitTermination(2, TimeUnit.SECONDS)) {
        parallel.shutdownNow();
      }
    } catch (InterruptedException e) {
      sideEffectExecutor.shutdownNow();
      parallel.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  /** The components of each stage; the order of stages is the pipeline's, not the builder's. */
  public static final class Builder {
    private long hydratorTimeoutMs = 50;
    private final List<QueryHydrator> hydrators = new ArrayList<>();
    private final List<CandidateSource> sources = new ArrayList<>();
    private CandidateSource fallbackSource;
    private CandidateMerger merger;
    private final List<Filter> filters = new ArrayList<>();
    private Scorer scorer;
    private Scorer fallbackScorer;
    private final List<Reranker> rerankers = new ArrayList<>();
    private Selector selector;
    private final List<SideEffect> sideEffects = new ArrayList<>();
    private String bundleVersion = "";
    private PipelineMetrics metrics;

    private Builder() {}

    public Builder hydratorTimeoutMs(long ms) {
      this.hydratorTimeoutMs = ms;
      return this;
    }

    public Builder hydrator(QueryHydrator h) {
      hydrators.add(h);
      return this;
    }

    public Builder source(CandidateSource s) {
      sources.add(s);
      return this;
    }

    /** Answers when every source fails; should be local and fast. */
    public Builder fallbackSource(CandidateSource s) {
      this.fallbackSource = s;
      return this;
    }

    public Builder merger(CandidateMerger m) {
      this.merger = m;
      return this;
    }

    public Builder filter(Filter f) {
      filters.add(f);
      return this;
    }

    public Builder scorer(Scorer s) {
      this.scorer = s;
      return this;
    }

    /** Orders the candidates when the scorer fails or is late; should be local and fast. */
    public Builder fallbackScorer(Scorer s) {
      this.fallbackScorer = s;
      return this;
    }

    public Builder reranker(Reranker r) {
      rerankers.add(r);
      return this;
    }

    public Builder selector(Selector s) {
      this.selector = s;
      return this;
    }

    public Builder sideEffect(SideEffect s) {
      sideEffects.add(s);
      return this;
    }

    /** Reported as the model version when no model scored the response. */
    public Builder bundleVersion(String v) {
      this.bundleVersion = v;
      return this;
    }

    public Builder metrics(PipelineMetrics m) {
      this.metrics = m;
      return this;
    }

    public RecommendPipeline build() {
      return new RecommendPipeline(this);
    }
  }
}
