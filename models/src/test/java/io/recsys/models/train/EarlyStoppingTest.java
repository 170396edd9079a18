package io.recsys.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /** A lucky epoch 2, then a slower rise that beats it at epoch 6, and a late jump never reached. */
  private static final double[] LUCKY_EARLY = {0.10, 0.30, 0.12, 0.20, 0.24, 0.32, 0.20, 0.18, 0.18, 0.50};

  private record Run(int epochsTrained, int keptEpoch, String snapshot, double best, List<Integer> saves,
                     int restores) {}

  private static Run train(double[] scores, int patience, int minEpochs) throws IOException {
    List<Integer> saves = new ArrayList<>();
    int[] restores = {0};
    int[] current = {0};
    try (EarlyStopping<String> stopping = new EarlyStopping<>("test", "score", patience, minEpochs,
        p -> saves.add(current[0]), p -> restores[0]++, line -> {})) {
      int e = 1;
      for (; e <= scores.length && stopping.improving(); e++) {
        current[0] = e;
        stopping.epoch(e, scores[e - 1], "epoch " + e);
      }
      String kept = stopping.keepBest();
      return new Run(e - 1, stopping.bestEpoch(), kept, stopping.bestScore(), saves, restores[0]);
    }
  }

  @Test
  void withoutAMinimumALuckyEarlyEpochStopsTraining() throws IOException {
    // epoch 2's 0.30 is not beaten by epochs 3-5, so training stops after epoch 5 and restores 2
    assertEquals(new Run(5, 2, "epoch 2", 0.30, List.of(1, 2), 1), train(LUCKY_EARLY, 3, 1));
  }

  @Test
  void theMinimumGivesLaterEpochsTheirChance() throws IOException {
    // epochs 3-5 are stale but the minimum is 6: epoch 6 beats epoch 2, 7-9 do not, epoch 10 is
    // never trained
    assertEquals(new Run(9, 6, "epoch 6", 0.32, List.of(1, 2, 6), 1), train(LUCKY_EARLY, 3, 6));
  }

  @Test
  void anEarlyPeakThatLaterEpochsDoNotBeatIsKept() throws IOException {
    // the curve really peaks at epoch 1: the minimum trains 4 epochs, then epoch 1 comes back
    assertEquals(new Run(4, 1, "epoch 1", 0.5, List.of(1), 1),
        train(new double[] {0.5, 0.4, 0.3, 0.2, 0.1, 0.0}, 2, 4));
  }

  @Test
  void theLastEpochBeingBestNeedsNoRestore() throws IOException {
    assertEquals(new Run(3, 3, "epoch 3", 0.3, List.of(1, 2, 3), 0), train(new double[] {0.1, 0.2, 0.3}, 2, 5));
  }

  @Test
  void theTwoTowerMinimumIsAShareOfTheEpochBudget() {
    assertEquals(8, TwoTowerTraining.minEpochs(20));
    assertEquals(2, TwoTowerTraining.minEpochs(6));
    assertEquals(1, TwoTowerTraining.minEpochs(1));
  }

  @Test
  void rejectsAZeroMinimum() {
    assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping<String>("test", "score", 3, 0, p -> {}, p -> {}, line -> {}));
  }
}
