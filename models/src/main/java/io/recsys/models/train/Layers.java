package io.recsys.models.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.random.RandomUniform;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/** The few building blocks our models are made of, over TensorFlow Java's Ops API. */
final class Layers {

  private final Ops tf;
  private long seed;

  Layers(Ops tf, long seed) {
    this.tf = tf;
    this.seed = seed;
  }

  /** A trainable table or weight matrix, initialised from a truncated normal with this stddev. */
  Variable<TFloat32> weight(long rows, long cols, float stddev) {
    return weight(stddev, rows, cols);
  }

  /** A trainable tensor of this shape, initialised from a truncated normal with this stddev. */
  Variable<TFloat32> weight(float stddev, long... shape) {
    return tf.variable(tf.math.mul(
        tf.random.truncatedNormal(tf.constant(shape), TFloat32.class,
            TruncatedNormal.seed(seed++), TruncatedNormal.seed2(seed++)),
        tf.constant(stddev)));
  }

  /** Glorot-scaled weight matrix of a dense layer. */
  Variable<TFloat32> dense(long in, long out) {
    return weight(in, out, glorot(in, out));
  }

  /** The initial stddev of a dense layer's weights from {@code in} to {@code out} values. */
  static float glorot(long in, long out) {
    return (float) Math.sqrt(2.0 / (in + out));
  }

  Variable<TFloat32> zeros(long... shape) {
    return tf.variable(tf.zeros(tf.constant(shape), TFloat32.class));
  }

  Variable<TFloat32> ones(long... shape) {
    return tf.variable(tf.fill(tf.constant(shape), tf.constant(1f)));
  }

  Operand<TFloat32> affine(Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  /** Layer normalisation over the last axis, with a learned scale and shift of that axis' size. */
  Operand<TFloat32> layerNorm(Operand<TFloat32> x, Operand<TFloat32> gamma, Operand<TFloat32> beta) {
    Operand<TInt32> last = tf.constant(-1);
    Operand<TFloat32> centred = tf.math.sub(x, tf.math.mean(x, last, Mean.keepDims(true)));
    Operand<TFloat32> variance = tf.math.mean(tf.math.square(centred), last, Mean.keepDims(true));
    return tf.math.add(tf.math.mul(tf.math.mul(centred, tf.math.rsqrt(tf.math.add(variance, tf.constant(1e-6f)))),
        gamma), beta);
  }

  /**
   * Inverted dropout: each value is kept with probability {@code keep} and scaled by 1 / keep, so
   * feeding keep = 1 (a model's default outside training) makes it the identity.
   */
  Operand<TFloat32> dropout(Operand<TFloat32> x, Operand<TFloat32> keep) {
    Operand<TFloat32> kept = tf.math.floor(tf.math.add(keep, tf.random.randomUniform(tf.shape(x), TFloat32.class,
        RandomUniform.seed(seed++), RandomUniform.seed2(seed++))));
    return tf.math.div(tf.math.mul(x, kept), keep);
  }

  /** Rows scaled to unit length, so dot products are cosine similarities. */
  Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    Operand<TFloat32> sq = tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.add(sq, tf.constant(1e-12f))));
  }
}
