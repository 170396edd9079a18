package io.recsys.ranking.device;

import io.recsys.common.tf.TfRuntime;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

/**
 * Which device TensorFlow computes on in this process. TF Java 1.1 has no public device list, so
 * this runs a one-op probe graph and reads the device its placer assigned (from the partition
 * graphs of the run; no profiler involved). TensorFlow places the ranker's ops by the same rule
 * (a GPU when the GPU native build finds CUDA, else the CPU), so the probe answers "does the
 * ranker run on the GPU?" for the log line at start.
 */
public final class DeviceReport {

  private DeviceReport() {}

  /** Devices the probe's MatMul was placed on, e.g. "/job:localhost/replica:0/task:0/device:GPU:0". */
  public static List<String> probe() {
    try (Graph g = new Graph(); Session s = new Session(g, TfRuntime.sessionConfig())) {
      Ops tf = Ops.create(g);
      // fed, not constant, so grappler cannot fold the op away
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class);
      var product = tf.linalg.matMul(x, x);
      RunOptions placement = RunOptions.newBuilder().setOutputPartitionGraphs(true).build();
      try (TFloat32 one = TFloat32.tensorOf(Shape.of(1, 1));
           Result r = s.runner().feed(x, one).fetch(product).setOptions(placement).runAndFetchMetadata()) {
        return r.getMetadata()
            .map(m -> m.getPartitionGraphsList().stream()
                .flatMap(graph -> graph.getNodeList().stream())
                // by name: the placer's rewrites change the op (oneDNN's CPU build runs _MklMatMul)
                .filter(n -> n.getName().equals(product.op().name()))
                .map(NodeDef::getDevice)
                .distinct()
                .toList())
            .orElse(List.of());
      }
    }
  }

  /** What {@code --device} asks for: TensorFlow's own choice, or a GPU or nothing. */
  public enum Wanted { auto, gpu }

  /**
   * Throws {@link NoUsableGpuException}, saying why, when {@code wanted} is {@code gpu} and the
   * ranker would not run on a GPU: a GPU pod on a node whose GPU or CUDA libraries are broken then
   * fails at start instead of scoring on its CPU at a fraction of the throughput.
   */
  public static void require(Wanted wanted) {
    if (wanted != Wanted.gpu) {
      return;
    }
    List<String> devices;
    try {
      devices = probe();
    } catch (RuntimeException e) {
      throw new NoUsableGpuException("--device gpu, but TensorFlow's device probe failed: " + e.getMessage());
    }
    if (devices.stream().anyMatch(d -> d.contains("GPU"))) {
      return;
    }
    throw new NoUsableGpuException(gpuBuild()
        ? "--device gpu, but TensorFlow's GPU build placed its probe op on " + devices + ": no usable GPU in this"
            + " process (check the NVIDIA driver (nvidia-smi), CUDA 12 and cuDNN 9 libraries, CUDA_VISIBLE_DEVICES;"
            + " TensorFlow's own log above says what it did not find)"
        : "--device gpu, but this build's TensorFlow native library is the CPU one (tensorflow-core-native"
            + " linux-x86_64, ops placed on " + devices + "): build with ./mvnw -B -Pgpu install -DskipTests"
            + " (linux-x86_64-gpu) and run where an NVIDIA GPU, its driver, CUDA 12 and cuDNN 9 are present");
  }

  /** Whether the classpath holds TensorFlow's GPU native library (the -Pgpu build) rather than the CPU one. */
  static boolean gpuBuild() {
    return DeviceReport.class.getClassLoader().getResource("org/tensorflow/internal/c_api/linux-x86_64-gpu/") != null;
  }

  /** {@code --device gpu} cannot be honoured here. */
  public static final class NoUsableGpuException extends IllegalStateException {
    NoUsableGpuException(String message) {
      super(message);
    }
  }

  /** One line for the start-up log. */
  public static String describe() {
    try {
      List<String> devices = probe();
      boolean gpu = devices.stream().anyMatch(d -> d.contains("GPU"));
      return (gpu ? "GPU" : "CPU") + " (TensorFlow placed a probe op on " + devices + ")";
    } catch (RuntimeException e) {
      return "an unknown device (device probe failed: " + e.getMessage() + ")";
    }
  }
}
