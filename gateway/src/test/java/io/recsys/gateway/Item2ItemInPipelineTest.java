package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.SourceColumn;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.GatewayHarness;
import io.recsys.gateway.testing.HarnessTest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The item2item source in the gateway's pipeline: asked with the history, merged, its column sent to the ranker. */
class Item2ItemInPipelineTest extends HarnessTest {

  static GatewaySettings withItem2Item(int k) {
    GatewaySettings s = GatewayHarness.SETTINGS;
    return new GatewaySettings(s.twoTowerK(), s.popularK(), k, s.sourceTimeoutMs(), s.rankingTimeoutMs(),
        s.maxPerCategoryFraction(), s.historySize(), s.historyMaxUsers(), s.experimentArms());
  }

  static FakeRetrieval sources() {
    return new FakeRetrieval()
        .answer("two_tower", List.of("i10", "i11", "i12"))
        .answer("popular", List.of("i00", "i01"))
        .answer("item2item", List.of("i06", "i11", "i07", "i08"));
  }

  @Test
  void itsCandidatesAreMergedAndTheRankerSeesItsScores() throws Exception {
    harness = new GatewayHarness(dir, sources(), new FakeRanking(), withItem2Item(3));
    RecommendResponse r = harness.client().recommend(RecommendRequest.newBuilder().setUserId("known").setK(20)
        .setFilters(Filters.newBuilder().setAllowSeen(true)).build());

    // asked for its quota, with the user's history (it scores neighbours of the recent items)
    var sent = harness.retrieval.lastRequest("item2item");
    assertThat(sent.getK()).isEqualTo(3);
    assertThat(sent.getRecentEventsList()).anyMatch(e -> e.getItemId().equals("i05"));

    CandidateColumns ranked = harness.ranking.requests.getLast().getColumns();
    assertThat(ranked.getSourcesList()).extracting(SourceColumn::getSource)
        .containsExactlyInAnyOrder("two_tower", "popular", "item2item");
    SourceColumn item2item = ranked.getSourcesList().stream()
        .filter(c -> c.getSource().equals("item2item")).findFirst().orElseThrow();
    // its top 3 only (i08 is past the quota); i11 also came from two_tower
    assertThat(ranked.getItemIdsList()).contains("i06", "i07").doesNotContain("i08");
    assertThat(item2item.getScores(ranked.getItemIdsList().indexOf("i06"))).isEqualTo(1f);
    assertThat(item2item.getScores(ranked.getItemIdsList().indexOf("i11"))).isEqualTo(1f - 1 / 100f);
    assertThat(item2item.getScores(ranked.getItemIdsList().indexOf("i00"))).isNaN();

    assertThat(r.getItemsList().stream().filter(i -> i.getItemId().equals("i11")).findFirst().orElseThrow()
        .getSourcesList()).containsExactlyInAnyOrder("two_tower", "item2item");
    assertThat(r.getItemsList()).extracting(RecommendedItem::getItemId).contains("i06", "i07");
  }

  @Test
  void aZeroQuotaLeavesItOut() throws Exception {
    harness = new GatewayHarness(dir, sources(), new FakeRanking(), withItem2Item(0));
    harness.client().recommend(RecommendRequest.newBuilder().setUserId("known").setK(5).build());
    assertThat(harness.retrieval.requests).extracting(q -> q.getSource()).doesNotContain("item2item");
  }

  @Test
  void aQuotaBeyondTheRankersCandidatesIsRefusedAtStart() {
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> withItem2Item(GatewaySettings.MAX_CANDIDATES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--two-tower-k + --popular-k + --item2item-k is 2030");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> withItem2Item(-1))
        .hasMessageContaining("--item2item-k must be at least 0");
  }
}
