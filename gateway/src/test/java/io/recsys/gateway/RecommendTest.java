package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.EventType;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.SourceColumn;
import io.recsys.api.v1.StageTiming;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.gateway.testing.HarnessTest;
import io.recsys.gateway.testing.TestBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Recommend when every server answers: merge, filters, ranking, diversity, debug, cold start. */
class RecommendTest extends HarnessTest {

  private static List<String> ids(int from, int to) {
    return IntStream.range(from, to).mapToObj(TestBundle::id).toList();
  }

  private static List<String> idsOf(RecommendResponse r) {
    return r.getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }

  /** two_tower proposes i10..i19, popular i00, i01, i02, i10, i11: i10 and i11 come from both. */
  private GatewayHarness standard() throws Exception {
    return new GatewayHarness(dir, new FakeRetrieval()
        .answer("two_tower", ids(10, 20))
        .answer("popular", List.of("i00", "i01", "i02", "i10", "i11")), new FakeRanking());
  }

  @Test
  void unknownUserGetsRankedItemsWithCategoryTitleAndSources() throws Exception {
    harness = standard();
    RecommendResponse r = harness.client().recommend(
        RecommendRequest.newBuilder().setUserId("never-seen-before").setK(5).build());

    // the fake ranker prefers high ids; the cap (ceil(0.5 * 5) = 3 per category) does not bind here
    assertThat(idsOf(r)).containsExactly("i19", "i18", "i17", "i16", "i15");
    RecommendedItem first = r.getItems(0);
    assertThat(first.getScore()).isCloseTo(0.19, org.assertj.core.data.Offset.offset(1e-6));
    assertThat(first.getCategory()).isEqualTo(TestBundle.categoryOf(19));
    assertThat(first.getTitle()).isEqualTo("Title 19");
    assertThat(first.getSourcesList()).containsExactly("two_tower");
    assertThat(r.getModelVersion()).isEqualTo(FakeRanking.MODEL_VERSION);
    assertThat(r.getDegraded()).isFalse();
    assertThat(r.getDegradedReasonsList()).isEmpty();
    assertThat(r.getRequestId()).isNotBlank();
    assertThat(r.hasDebug()).isFalse();
  }

  @Test
  void mergeKeepsEverySourceAndItsScorePerItem() throws Exception {
    harness = standard();
    RecommendResponse r = harness.client().recommend(RecommendRequest.newBuilder()
        .setUserId("u").setK(13).setFilters(Filters.newBuilder().setAllowSeen(true)).build());

    // 10 + 5 proposals, 13 distinct items: the ranker sees each once
    CandidateColumns ranked = harness.ranking.requests.getLast().getColumns();
    assertThat(ranked.getItemIdsList()).doesNotHaveDuplicates().hasSize(13);
    int i11 = ranked.getItemIdsList().indexOf("i11");
    int i00 = ranked.getItemIdsList().indexOf("i00");
    // i11 is second in two_tower (score 0.99) and fifth in popular (0.96); i00 only in popular
    assertThat(ranked.getSourcesList()).extracting(SourceColumn::getSource).containsExactly("two_tower", "popular");
    assertThat(ranked.getSources(0).getScores(i11)).isEqualTo(1f - 1 / 100f);
    assertThat(ranked.getSources(1).getScores(i11)).isEqualTo(1f - 4 / 100f);
    assertThat(ranked.getSources(0).getScores(i00)).isNaN();

    RecommendedItem out = r.getItemsList().stream().filter(i -> i.getItemId().equals("i11")).findFirst().orElseThrow();
    assertThat(out.getSourcesList()).containsExactly("two_tower", "popular");
    assertThat(r.getItemsList().stream().filter(i -> i.getItemId().equals("i00")).findFirst().orElseThrow()
        .getSourcesList()).containsExactly("popular");
  }

  @Test
  void seenItemsAreDroppedByTheGatewayUnlessAllowed() throws Exception {
    // user "known" viewed i05 (bundle history); the fake proposes it anyway
    harness = new GatewayHarness(dir, new FakeRetrieval().ignoreExcludes()
        .answer("two_tower", List.of("i05", "i06", "i07")), new FakeRanking());
    var client = harness.client();

    RecommendResponse r = client.recommend(RecommendRequest.newBuilder().setUserId("known").setK(10).build());
    assertThat(idsOf(r)).doesNotContain("i05").contains("i06", "i07");
    // the sources were told, and the two-tower query carried the stored history
    var sent = harness.retrieval.lastRequest("two_tower");
    assertThat(sent.getExcludeItemIdsList()).contains("i05");
    assertThat(sent.getRecentEventsList()).anyMatch(e -> e.getItemId().equals("i05") && e.getType() == EventType.VIEW);

    RecommendResponse allowed = client.recommend(RecommendRequest.newBuilder().setUserId("known").setK(10)
        .setFilters(Filters.newBuilder().setAllowSeen(true)).build());
    assertThat(idsOf(allowed)).contains("i05");
  }

  @Test
  void requestFiltersAndUnknownItemsAreApplied() throws Exception {
    harness = new GatewayHarness(dir, new FakeRetrieval().ignoreExcludes()
        .answer("two_tower", List.of("ghost", "i00", "i01", "i02", "i03", "i04", "i05")), new FakeRanking());
    var client = harness.client();

    assertThat(idsOf(client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(10).build())))
        .doesNotContain("ghost");
    assertThat(idsOf(client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(10)
        .setFilters(Filters.newBuilder().addExcludeItemIds("i04").addExcludeItemIds("i02")).build())))
        .containsExactlyInAnyOrder("i00", "i01", "i03", "i05");
    assertThat(idsOf(client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(10)
        .setFilters(Filters.newBuilder().addExcludeCategories("music")).build())))
        .containsExactlyInAnyOrder("i00", "i02", "i03", "i05");
    RecommendResponse games = client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(10)
        .setFilters(Filters.newBuilder().addIncludeCategories("games")).build());
    assertThat(games.getItemsList()).extracting(RecommendedItem::getItemId).containsExactly("i05", "i02");
    assertThat(games.getItemsList()).allMatch(i -> i.getCategory().equals("games"));
  }

  @Test
  void categoryCapKeepsOneCategoryFromTakingOverAndFillsWhenNothingElseIsLeft() throws Exception {
    // two_tower: only music items; popular: one books, one games item, which the ranker likes least
    List<String> music = List.of("i01", "i04", "i07", "i10", "i13", "i16", "i19", "i22", "i25", "i28");
    harness = new GatewayHarness(dir, new FakeRetrieval()
        .answer("two_tower", music).answer("popular", List.of("i00", "i02")), new FakeRanking());
    var client = harness.client();

    // k = 4, fraction 0.5: at most 2 music items
    assertThat(idsOf(client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(4).build())))
        .containsExactly("i28", "i25", "i02", "i00");
    // k = 6: cap 3, but only two other items exist, so music fills the last place
    assertThat(idsOf(client.recommend(RecommendRequest.newBuilder().setUserId("u").setK(6).build())))
        .containsExactly("i28", "i25", "i22", "i02", "i00", "i19");
  }

  @Test
  void debugReportsEveryStageInOrder() throws Exception {
    harness = standard();
    RecommendResponse r = harness.client().recommend(
        RecommendRequest.newBuilder().setUserId("u").setK(5).setDebug(true).build());

    assertThat(r.getDebug().getStagesList()).extracting(StageTiming::getStage).containsExactly(
        "hydrator:recent_history", "hydrator:experiment_arm", "source:two_tower", "source:popular", "merge",
        "filter:deleted_items", "filter:unknown_items", "filter:seen", "filter:excluded_items", "filter:categories",
        "scorer:ranking", "reranker:new_items", "reranker:category_cap", "selector:top_k");
    assertThat(r.getDebug().getStagesList()).allMatch(s -> s.getStatus().equals("ok"));
    StageTiming merge = r.getDebug().getStagesList().stream().filter(s -> s.getStage().equals("merge")).findFirst().orElseThrow();
    assertThat(merge.getCandidatesIn()).isEqualTo(15);
    assertThat(merge.getCandidatesOut()).isEqualTo(13);
    assertThat(r.getDebug().getNotesMap()).containsKeys("experiment_arm", "model_version", "history_events");
    assertThat(r.getDebug().getNotesMap().get("experiment_arm")).isIn("control", "treatment");
    assertThat(harness.counters.get("stage.source:two_tower.calls")).isEqualTo(1);
  }

  @Test
  void impressionsAreCountedPerExperimentArmOffTheRequestPath() throws Exception {
    harness = standard();
    String arm = new io.recsys.gateway.experiment.ExperimentArms(GatewayHarness.SETTINGS.experimentArms()).armOf("u");
    harness.client().recommend(RecommendRequest.newBuilder().setUserId("u").setK(5).build());

    long until = System.currentTimeMillis() + 5_000;
    while (harness.counters.get("arm." + arm + ".impressions") < 5 && System.currentTimeMillis() < until) {
      Thread.sleep(5);
    }
    assertThat(harness.counters.get("arm." + arm + ".impressions")).isEqualTo(5);
    assertThat(harness.counters.get("arm." + arm + ".recommendations")).isEqualTo(1);
    assertThat(harness.counters.get("arm." + arm + ".served.two_tower")).isEqualTo(5);
  }
}
