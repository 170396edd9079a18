package io.recsys.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.RankerFeatures;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RankerModelTest {

  private static final int ITEMS = 50;
  private static final int NEGATIVES = 7;
  private static final int[] SLOTS = {ITEMS, 4, CandidateSources.MASK_SLOTS};

  @ParameterizedTest(name = "listwise {0}")
  @ValueSource(booleans = {true, false})
  void anEnsembleLearnsWhichCandidateIsChosen(boolean listwise) {
    RankerConfig cfg = new RankerConfig(8, 32, 16, 16, 6, 0.01f, 20, 1, CandidateQuotas.SERVED, NEGATIVES, listwise, 3,
        5);
    try (RankerModel ranker = new RankerModel(cfg, SLOTS)) {
      RankerExamples train = groups(800, new Random(1));
      Random rnd = new Random(2);
      float first = ranker.trainEpoch(train, rnd);
      float last = first;
      for (int e = 1; e < cfg.epochs(); e++) {
        last = ranker.trainEpoch(train, rnd);
      }
      assertThat(last).isLessThan(first);

      RankerExamples heldOut = groups(200, new Random(3));
      float[] p = ranker.score(heldOut.sparse(), heldOut.dense(), heldOut.rows());
      int top = 0;
      for (int g = 0; g < heldOut.groups(); g++) {
        int best = 0;
        for (int j = 1; j < heldOut.groupSize(); j++) {
          if (p[g * heldOut.groupSize() + j] > p[g * heldOut.groupSize() + best]) {
            best = j;
          }
        }
        top += best == 0 ? 1 : 0;
      }
      // chance is 1 in 8; the chosen candidate's signal is clear but noisy, so not every group
      assertThat(top).isGreaterThan(heldOut.groups() * 3 / 4);
      for (float v : p) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void refusesARankerWithoutMembers() {
    assertThatThrownBy(() -> new RankerConfig(8, 32, 16, 16, 1, 0.01f, 20, 1, CandidateQuotas.SERVED, NEGATIVES, true,
        0, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one member");
  }

  @Test
  void refusesExamplesWithoutAWindow() {
    assertThatThrownBy(() -> new RankerConfig(8, 32, 16, 16, 1, 0.01f, 20, 0, CandidateQuotas.SERVED, NEGATIVES, true,
        3, 5)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least one window");
  }

  @Test
  void theWindowsExamplesFollowOneAnother() {
    RankerExamples newest = groups(3, new Random(4));
    RankerExamples older = groups(2, new Random(5));
    RankerExamples both = newest.plus(older);
    int fd = RankerFeatures.DENSE.size();
    assertThat(both.groups()).isEqualTo(5);
    assertThat(both.rows()).isEqualTo(5 * (1 + NEGATIVES));
    assertThat(java.util.Arrays.copyOfRange(both.dense(), 0, newest.dense().length)).isEqualTo(newest.dense());
    assertThat(java.util.Arrays.copyOfRange(both.dense(), newest.rows() * fd, both.rows() * fd))
        .isEqualTo(older.dense());
    assertThat(java.util.Arrays.copyOfRange(both.sparse(), newest.sparse().length, both.sparse().length))
        .isEqualTo(older.sparse());
    for (int row = 0; row < both.rows(); row++) {
      assertThat(both.labels()[row]).as("row %d", row).isEqualTo(row % both.groupSize() == 0 ? 1f : 0f);
    }
  }

  /**
   * Groups of one chosen candidate (first) and its negatives: the chosen one has a higher
   * similarity to the last item (dense feature 2) and a better two-tower rank, with overlap.
   */
  private static RankerExamples groups(int groups, Random rnd) {
    int size = 1 + NEGATIVES;
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    int simLast = RankerFeatures.DENSE.indexOf("sim_last");
    int rank = RankerFeatures.DENSE.indexOf("rank_two_tower");
    int[] sparse = new int[groups * size * fs];
    float[] dense = new float[groups * size * fd];
    float[] labels = new float[groups * size];
    for (int row = 0; row < groups * size; row++) {
      boolean chosen = row % size == 0;
      int item = rnd.nextInt(ITEMS);
      sparse[row * fs] = item;
      sparse[row * fs + 1] = item % 4;
      sparse[row * fs + 2] = 1 + rnd.nextInt(3);
      for (int j = 0; j < fd; j++) {
        dense[row * fd + j] = rnd.nextFloat();
      }
      dense[row * fd + simLast] = (chosen ? 0.5f : 0f) + 0.6f * rnd.nextFloat();
      dense[row * fd + rank] = (chosen ? 0f : 0.4f) + 0.6f * rnd.nextFloat();
      labels[row] = chosen ? 1f : 0f;
    }
    return new RankerExamples(groups, size, sparse, dense, labels);
  }
}
