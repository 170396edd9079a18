package io.recsys.common.tf;

import io.recsys.common.bundle.Manifest.SignatureSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * One signature of a SavedModel, bound by the logical names in the bundle manifest. Runs through
 * {@code Session.runner()} (cheaper per call than SessionFunction) and is safe to call from many
 * threads; the loaded model is shared and closed once.
 */
public final class SavedModelRunner implements AutoCloseable {

  private final SavedModelBundle model;
  private final Session session;
  private final Map<String, String> inputTensors = new HashMap<>();
  private final Map<String, String> outputTensors = new HashMap<>();

  private SavedModelRunner(SavedModelBundle model, Signature signature, SignatureSpec spec) {
    this.model = model;
    this.session = model.session();
    for (var e : spec.inputs().entrySet()) {
      var desc = signature.getInputs().get(e.getValue());
      if (desc == null) {
        throw new IllegalStateException("signature '" + spec.signature() + "' has no input '"
            + e.getValue() + "' (has " + signature.inputNames() + "); fix the manifest's input names");
      }
      inputTensors.put(e.getKey(), desc.name);
    }
    for (var e : spec.outputs().entrySet()) {
      var desc = signature.getOutputs().get(e.getValue());
      if (desc == null) {
        throw new IllegalStateException("signature '" + spec.signature() + "' has no output '"
            + e.getValue() + "' (has " + signature.outputNames() + "); fix the manifest's output names");
      }
      outputTensors.put(e.getKey(), desc.name);
    }
  }

  /** Loads the SavedModel at {@code bundleDir/spec.path} and binds the signature. */
  public static SavedModelRunner load(Path bundleDir, SignatureSpec spec) {
    Path dir = bundleDir.resolve(spec.path());
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("SavedModel directory missing: " + dir);
    }
    SavedModelBundle model = SavedModelBundle.loader(dir.toString())
        .withTags(SavedModelBundle.DEFAULT_TAG)
        .withConfigProto(TfRuntime.sessionConfig())
        .load();
    try {
      Signature sig = model.signatures().stream()
          .filter(s -> s.key().equals(spec.signature()))
          .findFirst()
          .orElseThrow(() -> new IllegalStateException("SavedModel " + dir + " has no signature '"
              + spec.signature() + "' (has " + model.signatures().stream().map(Signature::key).toList() + ")"));
      return new SavedModelRunner(model, sig, spec);
    } catch (RuntimeException e) {
      model.close();
      throw e;
    }
  }

  /**
   * Runs the signature.
   *
   * @param inputs logical input name -> tensor (the caller closes them)
   * @param outputs logical output names to fetch, in order
   * @return the fetched tensors in the order asked; the caller closes the Result
   */
  public Result run(Map<String, Tensor> inputs, List<String> outputs) {
    Session.Runner runner = session.runner();
    for (var e : inputs.entrySet()) {
      String name = inputTensors.get(e.getKey());
      if (name == null) {
        throw new IllegalArgumentException("no input named '" + e.getKey() + "'");
      }
      runner.feed(name, e.getValue());
    }
    for (String out : outputs) {
      String name = outputTensors.get(out);
      if (name == null) {
        throw new IllegalArgumentException("no output named '" + out + "'");
      }
      runner.fetch(name);
    }
    return runner.run();
  }

  /** Runs the signature and copies one float output of {@code rows * cols} values. */
  public float[] runFloats(Map<String, Tensor> inputs, String output, int values) {
    try (Result r = run(inputs, List.of(output))) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] out = new float[values];
      t.copyTo(DataBuffers.of(out, false, false));
      return out;
    }
  }

  public static TInt32 ints(int[] data, long... shape) {
    return TInt32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  public static TFloat32 floats(float[] data, long... shape) {
    return TFloat32.tensorOf(Shape.of(shape), DataBuffers.of(data, true, false));
  }

  @Override
  public void close() {
    model.close();
  }
}
