package io.recsys.models.train;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.SequenceEncoder;
import io.recsys.common.tf.SavedModelRunner;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.types.TInt32;

class SequenceModelTest {

  static final int ITEMS = 60;

  /**
   * Every user walks the catalog from a random item, half of them forwards and half backwards: the same
   * recent items come before a+6 in one direction and a-1 in the other, so only their order tells.
   */
  static List<List<Interaction>> walks(int users, long seed) {
    Random rnd = new Random(seed);
    List<List<Interaction>> out = new ArrayList<>();
    for (int u = 0; u < users; u++) {
      int start = rnd.nextInt(ITEMS);
      int length = 8 + rnd.nextInt(20);
      int step = u % 2 == 0 ? 1 : ITEMS - 1;
      List<Interaction> h = new ArrayList<>();
      for (int t = 0; t < length; t++) {
        h.add(new Interaction((start + t * step) % ITEMS, EventType.VIEW, 1000L * t, 0));
      }
      out.add(h);
    }
    return out;
  }

  static SequenceConfig small() {
    return new SequenceConfig(16, 10, 2, 32, 40, 40, 0.01f, 0.1f, 0.1f, 5, 3);
  }

  @Test
  void windowsCoverEveryTargetOnceRightAligned() {
    List<Interaction> h = new ArrayList<>();
    for (int t = 0; t < 7; t++) {
      h.add(new Interaction(10 + t, EventType.VIEW, t, 0));
    }
    SequenceExamples ex = SequenceExamples.of(List.of(h, List.of(h.get(0))), 4);
    // targets 11..16 in two windows (ending at 16 and at 12); the one-item history gives none
    assertThat(ex.count()).isEqualTo(2);
    int pad = SequenceEncoder.PAD;
    assertThat(java.util.Arrays.copyOfRange(ex.inputs(), 0, 4)).containsExactly(12, 13, 14, 15);
    assertThat(java.util.Arrays.copyOfRange(ex.targets(), 0, 4)).containsExactly(13, 14, 15, 16);
    assertThat(java.util.Arrays.copyOfRange(ex.inputs(), 4, 8)).containsExactly(pad, pad, 10, 11);
    assertThat(java.util.Arrays.copyOfRange(ex.targets(), 4, 8)).containsExactly(pad, pad, 11, 12);
  }

  @Test
  void learnsWhatComesNextFromTheOrderAndExportsTheSameEncoder(@TempDir Path dir) throws Exception {
    List<List<Interaction>> histories = walks(300, 1);
    LeaveLastOut split = LeaveLastOut.of(histories);
    float[] counts = new float[ITEMS];
    split.train().forEach(h -> h.forEach(e -> counts[e.itemIndex()]++));
    try (SequenceModel m = new SequenceModel(small(), ITEMS, counts)) {
      Map<String, Double> metrics = new HashMap<>();
      EmbeddingMatrix items = SequenceTraining.fit(m, split.train(), split.heldOutItem(), System.out::println,
          metrics);
      assertThat(metrics.get(SequenceTraining.EPOCHS)).isPositive();

      // the held-out item is the top-1 unseen item for most users (chance: about 1 in 40)
      float[] users = m.embed(split.train());
      int hits = 0;
      for (int u = 0; u < histories.size(); u++) {
        if (top1(items, users, u, split.train().get(u)) == split.heldOutItem()[u]) {
          hits++;
        }
      }
      double accuracy = hits / (double) histories.size();
      System.out.printf("top-1 next-item accuracy %.3f%n", accuracy);
      assertThat(accuracy).isGreaterThan(0.5);

      // the same items in the opposite order point the other way: the encoder reads order, not a set
      List<Interaction> forwards = histories.get(0).subList(0, 6);
      List<Interaction> backwards = new ArrayList<>(forwards);
      java.util.Collections.reverse(backwards);
      float[] both = m.embed(List.of(forwards, backwards));
      int first = forwards.get(0).itemIndex();
      int last = forwards.get(5).itemIndex();
      assertThat(top1(items, both, 0, forwards)).isEqualTo((last + 1) % ITEMS);
      assertThat(top1(items, both, 1, backwards)).isEqualTo((first + ITEMS - 1) % ITEMS);

      // the exported user_embedding signature gives the training session's vector
      m.export(new BundleLayout(dir).sequenceModel());
      int[] encoded = new int[small().maxLength()];
      new SequenceEncoder(small().maxLength()).encode(forwards, encoded, 0);
      try (SavedModelRunner served = SavedModelRunner.load(dir, SequenceModel.USER_SIGNATURE);
           TInt32 in = SavedModelRunner.ints(encoded, 1, encoded.length)) {
        float[] v = served.runFloats(Map.of("history_items", in), "embedding", small().dim());
        assertThat(v).containsExactly(java.util.Arrays.copyOf(both, small().dim()),
            org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
  }

  private static int top1(EmbeddingMatrix items, float[] users, int u, List<Interaction> seen) {
    float[] q = java.util.Arrays.copyOfRange(users, u * items.dim(), (u + 1) * items.dim());
    java.util.Set<Integer> had = new java.util.HashSet<>();
    seen.forEach(e -> had.add(e.itemIndex()));
    int best = -1;
    for (int i = 0; i < items.rows(); i++) {
      if (!had.contains(i) && (best < 0 || items.dot(i, q) > items.dot(best, q))) {
        best = i;
      }
    }
    return best;
  }
}
