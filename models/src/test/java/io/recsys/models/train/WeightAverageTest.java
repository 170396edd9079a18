package io.recsys.models.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.junit.jupiter.api.Test;

class WeightAverageTest {

  /** A one-weight "model" whose training step adds 1 to the weight (w = 0, 1, 2, ...). */
  private static final class Counter implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Variable<TFloat32> w;
    final Op step;
    final WeightAverage average;
    final Session session;

    Counter() {
      Layers layers = new Layers(tf, 1);
      w = layers.zeros(1);
      step = tf.assignAdd(w, tf.constant(new float[] {1f}));
      average = new WeightAverage(tf, layers, List.of(w));
      session = new Session(graph);
      session.initialize();
      average.begin(session);
    }

    void train(int steps, int stepsPerEpoch) {
      average.useRaw(session);
      for (int s = 0; s < steps; s++) {
        session.runner().addTarget(step).run().close();
        average.step(session, stepsPerEpoch);
      }
      average.useAverages(session);
    }

    float weight() {
      try (Result r = session.runner().fetch(w).run()) {
        return ((TFloat32) r.get(0)).getFloat(0);
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  @Test
  void theModelHoldsTheMovingAverageBetweenEpochsAndTrainsOnFromTheRawWeights() {
    try (Counter m = new Counter()) {
      m.train(3, 100);
      // keep = (1 + t) / (10 + t) at step t: 0.1, 2/11, 3/12, starting from the initial 0
      double avg = 0;
      double[] keep = {0.1, 2.0 / 11, 3.0 / 12};
      for (int t = 0; t < 3; t++) {
        avg = keep[t] * avg + (1 - keep[t]) * (t + 1);
      }
      assertThat(m.weight()).isCloseTo((float) avg, within(1e-5f));

      m.train(1, 100);
      // training went on from the raw weight 3, not from the average
      avg = 4.0 / 13 * avg + (1 - 4.0 / 13) * 4;
      assertThat(m.weight()).isCloseTo((float) avg, within(1e-5f));
    }
  }

  @Test
  void theAverageSpansAtMostAboutOneEpochOfSteps() {
    try (Counter m = new Counter()) {
      // 2000 steps of 10 per epoch: keep is capped at 1 - 1/10, so the average trails the raw
      // weight (2000) by about (keep / (1 - keep)) = 9 steps, not by a tenth of all steps
      m.train(2000, 10);
      assertThat(m.weight()).isCloseTo(2000f - 9f, within(0.01f));
    }
  }
}
