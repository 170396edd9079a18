package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.common.metrics.ScrapedMetrics;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.gateway.testing.HarnessTest;
import io.recsys.gateway.testing.TestBundle;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Late and failing dependencies: the gateway answers without them and says so. */
class DegradationTest extends HarnessTest {

  /** Far beyond the harness's 500 ms stage deadlines. */
  private static final long TOO_SLOW_MS = 5_000;

  private static List<String> idsOf(RecommendResponse r) {
    return r.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  private static FakeRetrieval standardRetrieval() {
    return new FakeRetrieval()
        .answer("two_tower", IntStream.range(10, 20).mapToObj(TestBundle::id).toList())
        .answer("popular", List.of("i00", "i01", "i02", "i10", "i11"));
  }

  private static RecommendRequest request(int k) {
    return RecommendRequest.newBuilder().setUserId("u").setK(k).setDebug(true).build();
  }

  @Test
  void aSourcePastItsDeadlineIsDroppedAndTheResponseIsDegradedButAnswered() throws Exception {
    harness = new GatewayHarness(dir, standardRetrieval().delay("two_tower", TOO_SLOW_MS), new FakeRanking());
    long start = System.nanoTime();
    RecommendResponse r = harness.client().recommend(request(5));
    long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

    assertThat(ms).isLessThan(TOO_SLOW_MS / 2);
    assertThat(idsOf(r)).containsExactly("i11", "i10", "i02", "i01", "i00");
    assertThat(r.getItemsList()).allMatch(i -> i.getSourcesList().equals(List.of("popular")));
    assertThat(r.getDegraded()).isTrue();
    assertThat(r.getDegradedReasonsList()).singleElement().asString()
        .contains("two_tower").contains("timeout");
    assertThat(r.getDebug().getStagesList()).anyMatch(s ->
        s.getStage().equals("source:two_tower") && s.getStatus().startsWith("timeout"));
    assertThat(harness.counters.get("stage.source:two_tower.timeout")).isEqualTo(1);
    // what Prometheus scrapes: the source's timeout, the answer degraded by that stage
    ScrapedMetrics m = ScrapedMetrics.parse(harness.counters.registry().scrape());
    assertThat(m.sum("recsys_pipeline_stage_failures_total", "stage", "source:two_tower", "outcome", "timeout"))
        .isEqualTo(1);
    assertThat(m.sum("recsys_recommend_degraded_total", "reason", "source:two_tower")).isEqualTo(1);
    assertThat(m.sum("recsys_recommend_answers_total", "degraded", "true")).isEqualTo(1);
    assertThat(m.sum("recsys_recommend_answers_total", "degraded", "false")).isZero();
    assertThat(r.getModelVersion()).isEqualTo(FakeRanking.MODEL_VERSION);
  }

  @Test
  void rankerDownFallsBackToRetrievalOrderThenPopularity() throws Exception {
    harness = new GatewayHarness(dir, standardRetrieval(), new FakeRanking().down());
    RecommendResponse r = harness.client().recommend(request(13));

    assertThat(r.getDegraded()).isTrue();
    assertThat(r.getDegradedReasonsList()).singleElement().asString()
        .contains("ranking").contains("UNAVAILABLE").contains("retrieval_order");
    ScrapedMetrics m = ScrapedMetrics.parse(harness.counters.registry().scrape());
    assertThat(m.sum("recsys_recommend_degraded_total", "reason", "scorer:ranking")).isEqualTo(1);
    assertThat(m.sum("recsys_pipeline_stage_failures_total", "stage", "scorer:ranking", "outcome", "failed"))
        .isEqualTo(1);
    // two-tower items by their two-tower score, then the popular-only ones by popularity (i00 first);
    // category cap: ceil(0.5 * 13) = 7, never reached here
    assertThat(idsOf(r)).containsExactly("i10", "i11", "i12", "i13", "i14", "i15", "i16", "i17", "i18", "i19",
        "i00", "i01", "i02");
    assertThat(r.getItemsList()).extracting(RecommendedItem::getScore).isSortedAccordingTo((a, b) -> Double.compare(b, a));
    assertThat(r.getModelVersion()).isEqualTo(TestBundle.VERSION);
  }

  @Test
  void rankerPastItsDeadlineFallsBackToo() throws Exception {
    harness = new GatewayHarness(dir, standardRetrieval(), new FakeRanking().delay(TOO_SLOW_MS));
    long start = System.nanoTime();
    RecommendResponse r = harness.client().recommend(request(3));

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(TOO_SLOW_MS / 2);
    assertThat(idsOf(r)).containsExactly("i10", "i11", "i12");
    assertThat(r.getDegradedReasonsList()).singleElement().asString().contains("ranking").contains("timeout");
  }

  @Test
  void whenEveryRemoteSourceFailsTheGatewaysOwnPopularityAnswers() throws Exception {
    harness = new GatewayHarness(dir, standardRetrieval().breakSource("two_tower").breakSource("popular"),
        new FakeRanking());
    // "known" viewed i05: the local fallback leaves it out too
    RecommendResponse r = harness.client().recommend(
        RecommendRequest.newBuilder().setUserId("known").setK(4).build());

    // local quota = popular-k = 10 most popular unseen: i00..i04, i06..i10; the ranker prefers high ids
    assertThat(idsOf(r)).containsExactly("i10", "i09", "i08", "i07");
    assertThat(r.getItemsList()).allMatch(i -> i.getSourcesList().equals(List.of("local_popular")));
    assertThat(r.getDegradedReasonsList()).hasSize(3);
    assertThat(r.getDegradedReasonsList()).anyMatch(s -> s.contains("two_tower") && s.contains("UNAVAILABLE"));
    assertThat(r.getDegradedReasonsList()).anyMatch(s -> s.contains("local_popular"));
  }

  @Test
  void aClientDeadlineShorterThanTheStagesStopsTheRequestWithDeadlineExceeded() throws Exception {
    harness = new GatewayHarness(dir, standardRetrieval().delay("two_tower", TOO_SLOW_MS)
        .delay("popular", TOO_SLOW_MS), new FakeRanking());
    long start = System.nanoTime();
    assertThatThrownBy(() -> harness.client().withDeadlineAfter(100, TimeUnit.MILLISECONDS).recommend(request(5)))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e ->
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED));
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(TOO_SLOW_MS / 2);

    // the sources were given the client's 100 ms, not their own 500 ms, and the gateway stopped there
    long until = System.currentTimeMillis() + 2_000;
    while (harness.counters.get("stage.source:popular.calls") == 0 && System.currentTimeMillis() < until) {
      Thread.sleep(5);
    }
    Thread.sleep(50);
    assertThat(harness.counters.get("stage.source:popular.calls")).isEqualTo(1);
    assertThat(harness.counters.get("stage.source:popular.timeout")).isEqualTo(1);
    assertThat(harness.counters.get("stage.source:local_popular.calls")).isZero();
  }
}
