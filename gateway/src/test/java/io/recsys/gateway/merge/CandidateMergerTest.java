package io.recsys.gateway.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.merge.CandidateMerger.SourceCandidates;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CandidateMergerTest {

  private final ItemCatalog catalog = ItemCatalog.withCategoryIndices(List.of(
      new ItemCatalog.Item("a", "x", 0, 1f, 0, "A"),
      new ItemCatalog.Item("b", "y", 0, 1f, 0, "B"),
      new ItemCatalog.Item("c", "x", 0, 1f, 0, "C")));

  @Test
  void oneCandidatePerItemWithEverySourceAndItsScore() {
    List<Candidate> merged = new CandidateMerger(catalog).merge(List.of(
        new SourceCandidates("two_tower", List.of(new Retrieved("b", 0.9f), new Retrieved("a", 0.8f))),
        new SourceCandidates("popular", List.of(new Retrieved("c", 50f), new Retrieved("b", 40f), new Retrieved("zz", 1f)))));

    assertThat(merged).extracting(Candidate::itemId).containsExactly("b", "a", "c", "zz");
    assertThat(merged.getFirst().sourceScores().asMap()).containsExactly(Map.entry("two_tower", 0.9f), Map.entry("popular", 40f));
    assertThat(merged.getFirst().sources()).containsExactly("two_tower", "popular");
    assertThat(merged.get(1).sources()).containsExactly("two_tower");
    assertThat(merged.get(2).sources()).containsExactly("popular");
    assertThat(merged).extracting(Candidate::itemIndex).containsExactly(1, 0, 2, -1);
  }

  @Test
  void aSourceListingAnItemTwiceKeepsItsFirstScore() {
    List<Candidate> merged = new CandidateMerger(catalog).merge(List.of(
        new SourceCandidates("popular", List.of(new Retrieved("a", 3f), new Retrieved("a", 1f)))));
    assertThat(merged).singleElement().satisfies(c -> assertThat(c.sourceScore("popular")).isEqualTo(3f));
  }
}
