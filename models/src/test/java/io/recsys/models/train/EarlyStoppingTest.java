package io.recsys.models.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

  /** A lucky epoch 2, then a slower rise that peaks at epoch 6, and a late jump never reached. */
  private static final double[] SCORES = {0.10, 0.30, 0.12, 0.20, 0.24, 0.26, 0.20, 0.18, 0.18, 0.50};

  private record Run(int epochsTrained, int keptEpoch, String snapshot, double best, List<Integer> saves,
                     int restores) {}

  private static Run train(int patience, int minEpochs) throws IOException {
    List<Integer> saves = new ArrayList<>();
    int[] restores = {0};
    int[] current = {0};
    try (EarlyStopping<String> stopping = new EarlyStopping<>("test", "score", patience, minEpochs,
        p -> saves.add(current[0]), p -> restores[0]++, line -> {})) {
      int e = 1;
      for (; e <= SCORES.length && stopping.improving(); e++) {
        current[0] = e;
        stopping.epoch(e, SCORES[e - 1], "epoch " + e);
      }
      String kept = stopping.keepBest();
      return new Run(e - 1, stopping.bestEpoch(), kept, stopping.bestScore(), saves, restores[0]);
    }
  }

  @Test
  void judgedAloneALuckyEpochStopsTrainingEarly() throws IOException {
    // epoch 2's 0.30 is never beaten by epochs 3-5, so training stops after epoch 5 and restores 2
    assertEquals(new Run(5, 2, "epoch 2", 0.30, List.of(1, 2), 1), train(3, 1));
  }

  @Test
  void theFirstMinEpochsCannotStopItAndTheKeptEpochComesAfterThem() throws IOException {
    // epochs 1-4 each replace the best (epoch 4: 0.20), 5 and 6 gain, 7-9 do not: epoch 10 is never
    // trained, and epoch 6 is kept although epoch 2 scored higher
    assertEquals(new Run(9, 6, "epoch 6", 0.26, List.of(1, 2, 3, 4, 5, 6), 1), train(3, 4));
  }

  @Test
  void fewerEpochsThanTheMinimumKeepTheLastWithoutARestore() throws IOException {
    List<Integer> restores = new ArrayList<>();
    try (EarlyStopping<String> stopping = new EarlyStopping<>("test", "score", 2, 5, p -> {},
        p -> restores.add(1), line -> {})) {
      stopping.epoch(1, 0.1, "a");
      stopping.epoch(2, 0.3, "b");
      stopping.epoch(3, 0.2, "c");
      assertEquals("c", stopping.keepBest());
      assertEquals(3, stopping.bestEpoch());
    }
    assertEquals(List.of(), restores);
  }

  @Test
  void rejectsAZeroMinimum() {
    assertThrows(IllegalArgumentException.class,
        () -> new EarlyStopping<String>("test", "score", 3, 0, p -> {}, p -> {}, line -> {}));
  }
}
