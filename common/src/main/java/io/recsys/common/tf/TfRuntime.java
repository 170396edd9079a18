package io.recsys.common.tf;

import org.tensorflow.proto.ConfigProto;

/** Session settings shared by training and serving. */
public final class TfRuntime {

  private TfRuntime() {}

  /**
   * Thread pools for one session. On small machines one intra-op and one inter-op thread was ~25%
   * faster than TensorFlow's defaults (pools sized to all cores fight the gRPC threads).
   * Override with -Drecsys.tf.intraOp / -Drecsys.tf.interOp.
   */
  public static ConfigProto sessionConfig() {
    int cores = Runtime.getRuntime().availableProcessors();
    int intra = Integer.getInteger("recsys.tf.intraOp", cores <= 2 ? 1 : Math.min(cores / 2, 8));
    int inter = Integer.getInteger("recsys.tf.interOp", cores <= 2 ? 1 : 2);
    return ConfigProto.newBuilder()
        .setIntraOpParallelismThreads(intra)
        .setInterOpParallelismThreads(inter)
        .setAllowSoftPlacement(true)
        .setGpuOptions(org.tensorflow.proto.GPUOptions.newBuilder().setAllowGrowth(true))
        .build();
  }
}
