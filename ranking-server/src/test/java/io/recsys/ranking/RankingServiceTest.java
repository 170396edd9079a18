package io.recsys.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.recsys.common.server.ErrorMapping;
import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.Context;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.ScoredItem;
import io.recsys.api.v1.SourceColumn;
import io.recsys.api.v1.SourceScore;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.server.ServerCounters;
import io.recsys.common.validation.EventValidator;
import io.recsys.models.data.Dataset;
import io.recsys.models.testing.TestBundles;
import io.recsys.ranking.batching.BatchPolicy;
import io.recsys.common.reload.BundleHolder;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.serving.ServingRanker;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** RankingService over the real test bundle, through in-process gRPC. */
class RankingServiceTest {

  private static final int MAX_CANDIDATES = 2000;
  private static final long HOUR_MS = 3_600_000L;

  private static TestBundles.Fixture fixture;
  private static RankingBundle bundle;

  @BeforeAll
  static void load() throws IOException {
    fixture = TestBundles.small();
    bundle = RankingBundle.load(fixture.bundleDir());
  }

  @AfterAll
  static void unload() {
    if (bundle != null) {
      bundle.close();
    }
  }

  /** An in-process ranking server over the shared bundle with its own batcher. */
  private static final class Running implements AutoCloseable {
    final ServerCounters counters = new ServerCounters();
    final ServingRanker ranker;
    final Server server;
    final ManagedChannel channel;
    final RankingServiceGrpc.RankingServiceBlockingStub stub;
    final RankingServiceGrpc.RankingServiceFutureStub async;

    Running(Duration maxQueueDelay) throws IOException {
      ranker = new ServingRanker(bundle, new BatchPolicy(4096, maxQueueDelay,
          RankingBundle.SPARSE_WIDTH, RankingBundle.DENSE_WIDTH), counters);
      String name = InProcessServerBuilder.generateName();
      server = InProcessServerBuilder.forName(name)
          .addService(ServerInterceptors.intercept(new RankingServiceImpl(new BundleHolder<>(ranker,
              r -> r.bundle().version()), MAX_CANDIDATES, counters, Runnable::run), new ErrorMapping()))
          .build().start();
      channel = InProcessChannelBuilder.forName(name).build();
      stub = RankingServiceGrpc.newBlockingStub(channel);
      async = RankingServiceGrpc.newFutureStub(channel);
    }

    @Override
    public void close() {
      channel.shutdownNow();
      server.shutdownNow();
      // only the batcher: the bundle is shared by every test of the class
      ranker.batcher().close();
    }
  }

  // ---- request building from the synthetic data set ----

  private static Dataset data() {
    return fixture.dataset();
  }

  private static List<Interaction> lastEvents(int user, int n) {
    List<Interaction> h = data().histories().get(user);
    return h.subList(Math.max(0, h.size() - n), h.size());
  }

  private static List<Event> events(List<Interaction> history) {
    List<Event> out = new ArrayList<>();
    for (Interaction e : history) {
      out.add(Event.newBuilder().setItemId(data().items().id(e.itemIndex())).setType(e.type())
          .setTimestampMs(e.timestampMs()).setValue(e.value()).build());
    }
    return out;
  }

  /** {@code n} distinct random items, each proposed by two_tower (and every third also by popular). */
  private static List<RankCandidate> randomCandidates(int n, long seed) {
    Random rnd = new Random(seed);
    Set<Integer> picked = new HashSet<>();
    List<RankCandidate> out = new ArrayList<>();
    while (out.size() < n) {
      int item = rnd.nextInt(data().items().size());
      if (!picked.add(item)) {
        continue;
      }
      RankCandidate.Builder c = RankCandidate.newBuilder().setItemId(data().items().id(item))
          .addSources(SourceScore.newBuilder().setSource(CandidateSources.TWO_TOWER).setScore(rnd.nextFloat()));
      if (out.size() % 3 == 0) {
        c.addSources(SourceScore.newBuilder().setSource(CandidateSources.POPULAR).setScore(rnd.nextFloat()));
      }
      out.add(c.build());
    }
    return out;
  }

  /** A request for training user {@code user}: their last 20 events, at a fixed time an hour later. */
  private static RankRequest requestFor(int user, List<RankCandidate> candidates) {
    List<Interaction> recent = lastEvents(user, 20);
    long time = recent.isEmpty() ? 1_770_000_000_000L : recent.get(recent.size() - 1).timestampMs() + HOUR_MS;
    return RankRequest.newBuilder()
        .setUserId(data().userIds().get(user))
        .addAllRecentEvents(events(recent))
        .setContext(Context.newBuilder().setRequestTimeMs(time))
        .addAllCandidates(candidates)
        .build();
  }

  private static Map<String, Float> scoresById(RankResponse r) {
    Map<String, Float> out = new HashMap<>();
    for (ScoredItem it : r.getItemsList()) {
      out.put(it.getItemId(), it.getScore());
    }
    return out;
  }

  // ---- behaviour ----

  @Test
  void scoresAreProbabilitiesBestFirst() throws Exception {
    try (Running s = new Running(Duration.ofMillis(1))) {
      List<RankCandidate> candidates = randomCandidates(300, 1);
      RankResponse r = s.stub.rank(requestFor(3, candidates));

      assertThat(r.getModelVersion()).isEqualTo(bundle.version()).isNotEmpty();
      assertThat(r.getItemsList()).extracting(ScoredItem::getItemId)
          .containsExactlyInAnyOrderElementsOf(candidates.stream().map(RankCandidate::getItemId).toList());
      assertThat(r.getItemsList()).allSatisfy(it -> assertThat(it.getScore()).isBetween(0f, 1f));
      for (int i = 1; i < r.getItemsCount(); i++) {
        assertThat(r.getItems(i).getScore()).isLessThanOrEqualTo(r.getItems(i - 1).getScore());
      }
      assertThat(r.getBatchRows()).isGreaterThanOrEqualTo(300);
      // a model that learned anything does not give every candidate the same score
      assertThat(r.getItems(0).getScore() - r.getItems(299).getScore()).isGreaterThan(0.05f);
    }
  }

  /** The column form is the row form re-encoded: the same scores, in request order, NaN for unknown items. */
  @Test
  void columnsGiveTheRowFormsScoresInRequestOrder() throws Exception {
    try (Running s = new Running(Duration.ZERO)) {
      List<RankCandidate> candidates = new ArrayList<>(randomCandidates(60, 21));
      candidates.add(7, RankCandidate.newBuilder().setItemId("not-in-this-bundle").build());
      RankRequest rows = requestFor(4, candidates);
      RankResponse byRows = s.stub.rank(rows);

      CandidateColumns.Builder columns = CandidateColumns.newBuilder();
      SourceColumn.Builder twoTower = SourceColumn.newBuilder().setSource(CandidateSources.TWO_TOWER);
      SourceColumn.Builder popular = SourceColumn.newBuilder().setSource(CandidateSources.POPULAR);
      for (RankCandidate c : candidates) {
        columns.addItemIds(c.getItemId());
        twoTower.addScores(scoreOf(c, CandidateSources.TWO_TOWER));
        popular.addScores(scoreOf(c, CandidateSources.POPULAR));
      }
      RankResponse byColumns = s.stub.rank(rows.toBuilder().clearCandidates()
          .setColumns(columns.addSources(twoTower).addSources(popular)).build());

      assertThat(byColumns.getItemsList()).isEmpty();
      assertThat(byColumns.getScoresCount()).isEqualTo(candidates.size());
      Map<String, Float> expected = scoresById(byRows);
      for (int i = 0; i < candidates.size(); i++) {
        String id = candidates.get(i).getItemId();
        if (i == 7) {
          assertThat(byColumns.getScores(i)).isNaN();
        } else {
          assertThat(byColumns.getScores(i)).isCloseTo(expected.get(id), within(1e-6f));
        }
      }

      RankRequest good = rows.toBuilder().clearCandidates().setColumns(columns).build();
      expectError(s, good.toBuilder().addCandidates(candidates.get(0)).build(),
          Status.Code.INVALID_ARGUMENT, "either as candidates or as columns");
      expectError(s, good.toBuilder().setColumns(columns.clone().addSources(
              SourceColumn.newBuilder().setSource("popular").addScores(1f))).build(),
          Status.Code.INVALID_ARGUMENT, "has 1 scores for 61 item_ids");
      expectError(s, good.toBuilder().setColumns(columns.clone().addItemIds(candidates.get(3).getItemId())).build(),
          Status.Code.INVALID_ARGUMENT, "columns.item_ids[61] '" + candidates.get(3).getItemId() + "' repeats columns.item_ids[3]");
    }
  }

  /** A source's score of the candidate, NaN when it did not propose it. */
  private static float scoreOf(RankCandidate c, String source) {
    return c.getSourcesList().stream().filter(x -> x.getSource().equals(source))
        .map(SourceScore::getScore).findFirst().orElse(Float.NaN);
  }

  /**
   * The synthetic users have known favourite categories. For each of 40 users, over 150 random
   * candidates, count the (liked-category, other) candidate pairs the ranker orders correctly.
   * A ranker without taste scores 0.5; the bar is 0.7 on average, and the liked candidates' mean
   * rank must lie in the top 40% (random: 50%).
   */
  @Test
  void itemsOfLikedCategoriesRankAboveTheOthers() throws Exception {
    ItemCatalog items = data().items();
    double pairSum = 0;
    double rankSum = 0;
    int users = 0;
    try (Running s = new Running(Duration.ofMillis(1))) {
      for (int u = 0; u < data().users() && users < 40; u++) {
        Set<String> liked = fixture.truth().liked(data().userIds().get(u));
        if (liked.isEmpty() || data().histories().get(u).size() < 5) {
          continue;
        }
        RankResponse r = s.stub.rank(requestFor(u, randomCandidates(150, 100 + u)));
        List<Boolean> isLiked = r.getItemsList().stream()
            .map(it -> liked.contains(items.get(items.indexOf(it.getItemId())).category())).toList();
        long likedCount = isLiked.stream().filter(b -> b).count();
        if (likedCount == 0 || likedCount == isLiked.size()) {
          continue;
        }
        long correctPairs = 0;
        long likedSeen = 0;
        long rankTotal = 0;
        for (int pos = 0; pos < isLiked.size(); pos++) {
          if (isLiked.get(pos)) {
            likedSeen++;
            rankTotal += pos;
          } else {
            correctPairs += likedSeen; // every liked item above this one is a correct pair
          }
        }
        pairSum += (double) correctPairs / (likedCount * (isLiked.size() - likedCount));
        rankSum += (double) rankTotal / likedCount / (isLiked.size() - 1);
        users++;
      }
    }
    double pairAccuracy = pairSum / users;
    double meanRank = rankSum / users;
    System.out.printf("liked-category ranking over %d users: pair accuracy %.3f, mean relative rank %.3f%n",
        users, pairAccuracy, meanRank);
    assertThat(users).isGreaterThanOrEqualTo(20);
    assertThat(pairAccuracy).isGreaterThan(0.7);
    assertThat(meanRank).isLessThan(0.4);
  }

  /**
   * Concurrent requests of different users share model calls; each must get back exactly what the
   * SavedModel, called directly on that request's rows, says.
   */
  @Test
  void batchedScoresEqualTheSavedModelOnTheSameRows() throws Exception {
    int requests = 6;
    List<RankRequest> sent = new ArrayList<>();
    for (int i = 0; i < requests; i++) {
      sent.add(requestFor(10 + i, randomCandidates(50 + 17 * i, 500 + i)));
    }
    List<RankResponse> got = new ArrayList<>();
    try (Running s = new Running(Duration.ofMillis(100))) {
      List<ListenableFuture<RankResponse>> pending = new ArrayList<>();
      for (RankRequest r : sent) {
        pending.add(s.async.rank(r));
      }
      for (var f : pending) {
        got.add(f.get(30, TimeUnit.SECONDS));
      }
      assertThat(s.counters.get("batcher.batches")).isLessThan(requests);
    }
    try (SavedModelBundle direct = SavedModelBundle.load(
        fixture.bundleDir().resolve(bundle.manifest().ranker().path()).toString(), "serve")) {
      for (int i = 0; i < requests; i++) {
        RankRequest req = sent.get(i);
        float[] expected = scoreDirectly(direct, req);
        Map<String, Float> actual = scoresById(got.get(i));
        for (int c = 0; c < req.getCandidatesCount(); c++) {
          assertThat(actual.get(req.getCandidates(c).getItemId()))
              .as("request %d candidate %d", i, c).isCloseTo(expected[c], within(1e-5f));
        }
      }
    }
  }

  /** The request's rows built with the shared feature code, scored by the SavedModel's own function. */
  private static float[] scoreDirectly(SavedModelBundle model, RankRequest req) {
    long time = req.getContext().getRequestTimeMs();
    List<Interaction> history = EventValidator.resolve(req.getRecentEventsList(), bundle.items(), time);
    RankerFeatures features = bundle.features();
    var profile = features.profile(history, time);
    List<SourceList> lists = new ArrayList<>();
    for (RankCandidate c : req.getCandidatesList()) {
      c.getSourcesList().forEach(s -> lists.add(
          new SourceList(s.getSource(), new String[] {c.getItemId()}, new float[] {s.getScore()})));
    }
    MergedCandidates merged = MergedCandidates.merge(bundle.items(), lists);
    int n = req.getCandidatesCount();
    int sw = RankerFeatures.SPARSE.size();
    int dw = RankerFeatures.DENSE.size();
    int[] sparse = new int[n * sw];
    float[] dense = new float[n * dw];
    assertThat(features.rows(profile, merged, sparse, dense, new int[n])).isEqualTo(n);
    var spec = bundle.manifest().ranker();
    try (TInt32 ts = TInt32.tensorOf(org.tensorflow.ndarray.Shape.of(n, sw), DataBuffers.of(sparse, true, false));
         TFloat32 td = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(n, dw), DataBuffers.of(dense, true, false));
         Result r = model.function(spec.signature()).call(
             Map.<String, Tensor>of(spec.input("sparse"), ts, spec.input("dense"), td))) {
      TFloat32 p = (TFloat32) r.get(spec.output("probability")).orElseThrow();
      float[] out = new float[n];
      p.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  @Test
  void eightConcurrentRequestsNeedFewerModelCalls() throws Exception {
    try (Running s = new Running(Duration.ofMillis(50))) {
      List<ListenableFuture<RankResponse>> pending = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        pending.add(s.async.rank(requestFor(20 + i, randomCandidates(100, 900 + i))));
      }
      int maxBatch = 0;
      for (var f : pending) {
        maxBatch = Math.max(maxBatch, f.get(30, TimeUnit.SECONDS).getBatchRows());
      }
      assertThat(s.counters.get("batcher.batches")).isLessThan(8);
      assertThat(maxBatch).isGreaterThan(100);
      assertThat(s.counters.get("batcher.requests")).isEqualTo(8);
    }
  }

  @Test
  void unknownCandidatesComeLastWithScoreZeroAndUnknownUsersAreServed() throws Exception {
    try (Running s = new Running(Duration.ZERO)) {
      List<RankCandidate> candidates = new ArrayList<>(randomCandidates(20, 7));
      candidates.add(5, RankCandidate.newBuilder().setItemId("not-in-this-bundle-1").build());
      candidates.add(RankCandidate.newBuilder().setItemId("not-in-this-bundle-2").build());
      RankResponse r = s.stub.rank(RankRequest.newBuilder().setUserId("someone-new")
          .addAllCandidates(candidates).build());

      assertThat(r.getItemsCount()).isEqualTo(22);
      assertThat(r.getItemsList().subList(20, 22)).extracting(ScoredItem::getItemId, ScoredItem::getScore)
          .containsExactly(org.assertj.core.groups.Tuple.tuple("not-in-this-bundle-1", 0f),
              org.assertj.core.groups.Tuple.tuple("not-in-this-bundle-2", 0f));
      assertThat(r.getItemsList().subList(0, 20)).allSatisfy(it -> assertThat(it.getScore()).isBetween(0f, 1f));
      assertThat(s.counters.get("rank.unknown_candidates")).isEqualTo(2);

      RankResponse none = s.stub.rank(RankRequest.newBuilder().setUserId("u")
          .addCandidates(RankCandidate.newBuilder().setItemId("nope")).build());
      assertThat(none.getItemsList()).extracting(ScoredItem::getScore).containsExactly(0f);
      assertThat(none.getBatchRows()).isZero();
    }
  }

  @Test
  void malformedRequestsGetClearErrorsAndTheServerKeepsServing() throws Exception {
    try (Running s = new Running(Duration.ZERO)) {
      RankRequest good = requestFor(5, randomCandidates(10, 3));

      expectError(s, good.toBuilder().setUserId("").build(), Status.Code.INVALID_ARGUMENT, "user_id is required");
      expectError(s, good.toBuilder().clearCandidates().build(), Status.Code.INVALID_ARGUMENT, "candidates is empty");
      RankRequest.Builder tooMany = good.toBuilder().clearCandidates();
      for (int i = 0; i <= MAX_CANDIDATES; i++) {
        tooMany.addCandidates(RankCandidate.newBuilder().setItemId("i" + i));
      }
      expectError(s, tooMany.build(), Status.Code.RESOURCE_EXHAUSTED, "at most 2000");
      expectError(s, good.toBuilder().setCandidates(1, RankCandidate.newBuilder()).build(),
          Status.Code.INVALID_ARGUMENT, "candidates[1].item_id is required");
      expectError(s, good.toBuilder().addCandidates(good.getCandidates(2)).build(),
          Status.Code.INVALID_ARGUMENT, "candidates[10].item_id '" + good.getCandidates(2).getItemId()
              + "' repeats candidates[2]");
      expectError(s, good.toBuilder().setCandidates(0, good.getCandidates(0).toBuilder()
              .addSources(SourceScore.newBuilder().setSource("popular").setScore(Float.NaN))).build(),
          Status.Code.INVALID_ARGUMENT, "candidates[0]: source 'popular' has score NaN");
      expectError(s, good.toBuilder().addRecentEvents(Event.newBuilder().setItemId("x")).build(),
          Status.Code.INVALID_ARGUMENT, "recent_events[" + good.getRecentEventsCount() + "]: type is required");
      expectError(s, good.toBuilder().addRecentEvents(Event.newBuilder().setItemId("x").setType(EventType.CLICK)
              .setTimestampMs(System.currentTimeMillis() * 1000)).build(),
          Status.Code.INVALID_ARGUMENT, "milliseconds (not microseconds)");
      expectError(s, good.toBuilder().setContext(Context.newBuilder().setRequestTimeMs(-5)).build(),
          Status.Code.INVALID_ARGUMENT, "context.request_time_ms -5 is negative");

      RankResponse r = s.stub.rank(good);
      assertThat(r.getItemsCount()).isEqualTo(10);
    }
  }

  private static void expectError(Running s, RankRequest request, Status.Code code, String message) {
    assertThatThrownBy(() -> s.stub.rank(request))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(code);
          assertThat(e.getStatus().getDescription()).contains(message);
        });
  }

  @Test
  void aRequestWhoseDeadlinePassesInTheQueueFailsAndIsNotScored() throws Exception {
    // a long queue delay holds the lone request until after its 100 ms deadline
    try (Running s = new Running(Duration.ofMillis(600))) {
      RankRequest r = requestFor(7, randomCandidates(30, 11));
      assertThatThrownBy(() -> s.stub.withDeadlineAfter(100, TimeUnit.MILLISECONDS).rank(r))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
      Thread.sleep(800);
      assertThat(s.counters.get("batcher.batches")).isZero();
      // and the next request is served
      assertThat(s.stub.rank(r).getItemsCount()).isEqualTo(30);
    }
  }
}
