package io.recsys.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class RankerFeaturesTest {

  // items 0..3 on unit axes of a 2-d space: 0 = x, 1 = y, 2 = -x, 3 = (x + y) / sqrt 2
  static final float R = (float) Math.sqrt(0.5);
  static final EmbeddingMatrix VECTORS = new EmbeddingMatrix(4, 2, new float[] {1, 0, 0, 1, -1, 0, R, R});
  static final ItemCatalog CATALOG = new ItemCatalog(IntStream.range(0, 4)
      .mapToObj(i -> new ItemCatalog.Item("i" + i, i < 2 ? "a" : "b", i < 2 ? 1 : 2, 10f, 0L, "")).toList());
  static final RankerFeatures FEATURES =
      new RankerFeatures(CATALOG, VECTORS, new Popularity(new float[] {5, 3, 0, 1}), 20);

  static int at(String feature) {
    return RankerFeatures.DENSE.indexOf(feature);
  }

  @Test
  void eachSourcesScoreAndRankAndTheSimilarityToTheLastItemsAreFeatures() {
    // history oldest first: 1 then 0, so the last item is 0 (x)
    List<Interaction> history = List.of(new Interaction(1, EventType.VIEW, 1_000, 0),
        new Interaction(0, EventType.VIEW, 2_000, 0));
    RankerFeatures.UserProfile u = FEATURES.profile(history, 3_600_000L * 30); // a Friday, 06:00 UTC
    MergedCandidates c = MergedCandidates.merge(CATALOG, List.of(
        new SourceList(CandidateSources.TWO_TOWER, new String[] {"i3", "i2"}, new float[] {0.8f, 0.2f}),
        new SourceList(CandidateSources.POPULAR, new String[] {"i2"}, new float[] {0.5f}),
        new SourceList(CandidateSources.ITEM2ITEM, new String[] {"i2", "i3"}, new float[] {4f, 1f})));
    int sw = RankerFeatures.SPARSE.size();
    int dw = RankerFeatures.DENSE.size();
    int[] sparse = new int[2 * sw];
    float[] dense = new float[2 * dw];
    int[] rowOf = new int[2];
    assertThat(FEATURES.rows(u, c, sparse, dense, rowOf)).isEqualTo(2);
    assertThat(rowOf).containsExactly(0, 1);

    // i3: two_tower rank 0 at the top score, item2item rank 1 with a quarter of the best score
    assertThat(sparse[0]).isEqualTo(3);
    assertThat(sparse[2]).isEqualTo(CandidateSources.bit(CandidateSources.TWO_TOWER) | CandidateSources.bit(CandidateSources.ITEM2ITEM));
    assertThat(dense[at("score_two_tower")]).isEqualTo(0.8f);
    assertThat(dense[at("gap_two_tower")]).isEqualTo(0f);
    assertThat(dense[at("rank_two_tower")]).isEqualTo(0f);
    assertThat(dense[at("rank_popular")]).isEqualTo(1f); // not proposed: ranks last
    assertThat(dense[at("score_item2item")]).isEqualTo(0.25f);
    assertThat(dense[at("rank_item2item")]).isCloseTo((float) (Math.log1p(1) / Math.log1p(1000)), within(1e-6f));
    assertThat(dense[at("sim_last")]).isCloseTo(R, within(1e-6f)); // 3 vs 0
    assertThat(dense[at("sim_last3_max")]).isCloseTo(R, within(1e-6f)); // 3 vs 0 and 1: both R

    // i2: two_tower rank 1, 0.3 below the top (gap halved), popular's only proposal
    int o = dw;
    assertThat(dense[o + at("gap_two_tower")]).isCloseTo(0.3f, within(1e-6f));
    assertThat(dense[o + at("rank_two_tower")]).isCloseTo((float) (Math.log1p(1) / Math.log1p(1000)), within(1e-6f));
    assertThat(dense[o + at("score_popular")]).isEqualTo(0.5f);
    assertThat(dense[o + at("rank_popular")]).isEqualTo(0f);
    assertThat(dense[o + at("score_item2item")]).isEqualTo(1f);
    assertThat(dense[o + at("sim_last")]).isCloseTo(-1f, within(1e-6f)); // 2 = -x vs 0 = x
    assertThat(dense[o + at("sim_last3_max")]).isCloseTo(0f, within(1e-6f)); // max(-1, 0 vs y)
    assertThat(dense[o + at("is_cold_item")]).isEqualTo(1f);

    // the request's context: 06:00 on a Friday (day 4 counting Monday as 0)
    assertThat(dense[at("hour_sin")]).isCloseTo(1f, within(1e-6f));
    assertThat(dense[at("hour_cos")]).isCloseTo(0f, within(1e-6f));
    assertThat(dense[at("weekday_sin")]).isCloseTo((float) Math.sin(2 * Math.PI * 4 / 7), within(1e-6f));
  }

  @Test
  void aRequestOutsideTheTrainedRangesIsClampedIntoThem() {
    List<Interaction> history = List.of(new Interaction(0, EventType.VIEW, 0, 0));
    MergedCandidates c = MergedCandidates.merge(CATALOG, List.of(
        new SourceList(CandidateSources.TWO_TOWER, new String[] {"i1"}, new float[] {0.5f})));
    int dw = RankerFeatures.DENSE.size();
    float[] lo = new float[dw];
    float[] hi = new float[dw];
    java.util.Arrays.fill(lo, -10f);
    java.util.Arrays.fill(hi, 10f);
    hi[at("time_since_last_event")] = 0.5f; // trained on gaps up to e^5 - 1 hours
    RankerFeatures clamped = FEATURES.withRanges(new FeatureRanges(lo, hi));
    long yearLater = 365L * 86_400_000L;
    float[] free = new float[dw];
    float[] held = new float[dw];
    FEATURES.rows(FEATURES.profile(history, yearLater), c, new int[3], free, new int[1]);
    clamped.rows(clamped.profile(history, yearLater), c, new int[3], held, new int[1]);
    assertThat(free[at("time_since_last_event")]).isGreaterThan(0.9f);
    assertThat(held[at("time_since_last_event")]).isEqualTo(0.5f);
    assertThat(held[at("score_two_tower")]).isEqualTo(free[at("score_two_tower")]);
  }

  @Test
  void candidatesTheCatalogDoesNotKnowGetNoRow() {
    MergedCandidates c = MergedCandidates.merge(CATALOG, List.of(
        new SourceList(CandidateSources.TWO_TOWER, new String[] {"gone", "i1"}, new float[] {0.9f, 0.1f})));
    int[] rowOf = new int[2];
    int rows = FEATURES.rows(FEATURES.profile(List.of(), 0L), c, new int[2 * RankerFeatures.SPARSE.size()],
        new float[2 * RankerFeatures.DENSE.size()], rowOf);
    assertThat(rows).isEqualTo(1);
    assertThat(rowOf).containsExactly(-1, 0);
  }
}
