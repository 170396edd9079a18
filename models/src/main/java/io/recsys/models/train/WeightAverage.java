package io.recsys.models.train;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * An exponential moving average of a model's trainable weights over its training steps (Polyak
 * averaging). With a constant learning rate the weights an epoch ends with are one noisy point
 * of the optimiser's walk: the two-tower's test nDCG@10 moved by up to 0.01 from one epoch to the
 * next on ml-latest-small, so early stopping chose among noise. The average of the recent steps is
 * a steadier model; training goes on from the raw weights.
 *
 * <p>Between epochs the model's variables hold the averages ({@link #useAverages}), so whatever
 * reads the model then (validation, checkpoints, export) sees them; {@link #useRaw} puts the raw
 * weights back, kept meanwhile in Java, before training continues.
 */
final class WeightAverage {

  /**
   * The average covers about the last 1/(WARMUP - 1) of the steps so far (TensorFlow's
   * ExponentialMovingAverage with num_updates uses 10), at most one epoch: early on, the
   * random initialisation fades out fast.
   */
  private static final float WARMUP = 10f;

  private final List<Variable<TFloat32>> weights;
  private final Placeholder<TFloat32> keep;
  private final List<Op> update = new ArrayList<>();
  private final List<Op> start = new ArrayList<>();
  private final List<Op> toAverages = new ArrayList<>();
  private final List<Placeholder<TFloat32>> rawFeeds = new ArrayList<>();
  private final List<Op> toRaw = new ArrayList<>();
  private long steps;
  /**
   * The raw weights while the variables hold the averages, null otherwise: copied out, because a
   * fetched variable's tensor shares its buffer with the variable, which the averages overwrite.
   */
  private float[][] raw;
  private Shape[] rawShapes;

  WeightAverage(Ops tf, Layers layers, List<Variable<TFloat32>> weights) {
    this.weights = weights;
    this.keep = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    for (Variable<TFloat32> w : weights) {
      Variable<TFloat32> avg = layers.zeros(w.shape().asArray());
      start.add(tf.assign(avg, w));
      // avg += (1 - keep) (w - avg)
      update.add(tf.assignAdd(avg, tf.math.mul(tf.math.sub(w, avg), tf.math.sub(tf.constant(1f), keep))));
      toAverages.add(tf.assign(w, avg));
      Placeholder<TFloat32> feed = tf.placeholder(TFloat32.class);
      rawFeeds.add(feed);
      toRaw.add(tf.assign(w, feed));
    }
  }

  /** Starts the averages at the current weights (after the session's initialisation). */
  void begin(Session session) {
    run(session, start);
  }

  /** Folds the weights after a training step into the averages. */
  void step(Session session, int stepsPerEpoch) {
    float k = Math.min(1f - 1f / Math.max(1, stepsPerEpoch), (1f + steps) / (WARMUP + steps));
    steps++;
    try (TFloat32 t = TFloat32.scalarOf(k)) {
      Session.Runner r = session.runner().feed(keep, t);
      update.forEach(r::addTarget);
      r.run().close();
    }
  }

  /** The variables take the averages; the raw weights are kept aside for {@link #useRaw}. */
  void useAverages(Session session) {
    if (raw != null) {
      return;
    }
    Session.Runner fetch = session.runner();
    weights.forEach(fetch::fetch);
    float[][] copies = new float[weights.size()][];
    rawShapes = new Shape[copies.length];
    try (Result r = fetch.run()) {
      for (int i = 0; i < copies.length; i++) {
        TFloat32 t = (TFloat32) r.get(i);
        rawShapes[i] = t.shape();
        copies[i] = new float[(int) t.shape().size()];
        t.copyTo(DataBuffers.of(copies[i], false, false));
      }
    }
    raw = copies;
    run(session, toAverages);
  }

  /** The variables take the raw weights back, if they hold the averages. */
  void useRaw(Session session) {
    if (raw == null) {
      return;
    }
    List<TFloat32> tensors = new ArrayList<>(raw.length);
    try {
      Session.Runner r = session.runner();
      for (int i = 0; i < raw.length; i++) {
        TFloat32 t = TFloat32.tensorOf(rawShapes[i], DataBuffers.of(raw[i], true, false));
        tensors.add(t);
        r.feed(rawFeeds.get(i), t).addTarget(toRaw.get(i));
      }
      r.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
    raw = null;
  }

  /**
   * After a checkpoint was restored its variables are the ones to go on from: the raw weights kept
   * aside belonged to another step.
   */
  void forgetRaw() {
    raw = null;
  }

  private static void run(Session session, List<Op> ops) {
    Session.Runner r = session.runner();
    ops.forEach(r::addTarget);
    r.run().close();
  }
}
