package io.recsys.models.train;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.random.TruncatedNormal;
import org.tensorflow.types.TFloat32;

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
    return tf.variable(tf.math.mul(
        tf.random.truncatedNormal(tf.constant(new long[] {rows, cols}), TFloat32.class,
            TruncatedNormal.seed(seed++), TruncatedNormal.seed2(seed++)),
        tf.constant(stddev)));
  }

  /** Glorot-scaled weight matrix of a dense layer. */
  Variable<TFloat32> dense(long in, long out) {
    return weight(in, out, (float) Math.sqrt(2.0 / (in + out)));
  }

  Variable<TFloat32> zeros(long... shape) {
    return tf.variable(tf.zeros(tf.constant(shape), TFloat32.class));
  }

  Operand<TFloat32> affine(Operand<TFloat32> x, Operand<TFloat32> w, Operand<TFloat32> b) {
    return tf.math.add(tf.linalg.matMul(x, w), b);
  }

  /** Rows scaled to unit length, so dot products are cosine similarities. */
  Operand<TFloat32> l2Normalize(Operand<TFloat32> x) {
    Operand<TFloat32> sq = tf.reduceSum(tf.math.square(x), tf.constant(1), ReduceSum.keepDims(true));
    return tf.math.mul(x, tf.math.rsqrt(tf.math.add(sq, tf.constant(1e-12f))));
  }
}
