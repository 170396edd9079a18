package io.recsys.models.train;

import io.recsys.common.features.Interaction;
import io.recsys.common.features.SequenceEncoder;
import java.util.ArrayList;
import java.util.List;

/**
 * Next-item examples for the sequence model, every position a target: each user's sequence (the
 * events {@link SequenceEncoder#counts}) is cut from its end into windows of L, and in a window the
 * input at position p is item t and the target item t + 1. Both are right-aligned and left-padded
 * with {@link SequenceEncoder#PAD}, as serving encodes a history, so every interaction after a
 * user's first is a target exactly once.
 *
 * @param inputs count x L item indices
 * @param targets count x L item indices, PAD where a position has no target
 */
public record SequenceExamples(int count, int length, int[] inputs, int[] targets) {

  public static SequenceExamples of(List<List<Interaction>> histories, int length) {
    List<int[]> sequences = new ArrayList<>(histories.size());
    int n = 0;
    for (List<Interaction> h : histories) {
      int[] s = h.stream().filter(SequenceEncoder::counts).mapToInt(Interaction::itemIndex).toArray();
      sequences.add(s);
      n += s.length < 2 ? 0 : (s.length - 2) / length + 1;
    }
    int[] inputs = new int[n * length];
    int[] targets = new int[n * length];
    java.util.Arrays.fill(inputs, SequenceEncoder.PAD);
    java.util.Arrays.fill(targets, SequenceEncoder.PAD);
    int w = 0;
    for (int[] s : sequences) {
      for (int end = s.length; end >= 2; end -= length, w++) {
        for (int j = 0; j < length && end - 2 - j >= 0; j++) {
          inputs[w * length + length - 1 - j] = s[end - 2 - j];
          targets[w * length + length - 1 - j] = s[end - 1 - j];
        }
      }
    }
    return new SequenceExamples(n, length, inputs, targets);
  }
}
