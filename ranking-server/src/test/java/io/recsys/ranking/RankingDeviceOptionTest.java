package io.recsys.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.recsys.ranking.device.DeviceReport;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --device}: the ranker says where it computes and refuses to start on a GPU it does not have. */
class RankingDeviceOptionTest {

  private static boolean gpuHere() {
    return DeviceReport.describe().startsWith("GPU");
  }

  @Test
  void gpuAskedWhereNoGpuIsUsableExitsWithTheReasonBeforeLoadingAnything() {
    assumeFalse(gpuHere(), "this machine's TensorFlow computes on a GPU");
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new RankingServerCommand()).setErr(new PrintWriter(err));
    // the bundle does not exist: the device check comes first, so it is the error reported
    int exit = cmd.execute("--device", "gpu", "--port", "0", "--metrics-port", "0", "--bundle", "/nonexistent");
    assertThat(exit).as(err.toString()).isEqualTo(2);
    assertThat(err.toString())
        .contains("--device gpu, but this build's TensorFlow native library is the CPU one")
        .contains("-Pgpu")
        .doesNotContain("Exception", "\tat ");
  }

  @Test
  void theLogLineNamesTheDeviceTensorFlowPlacedTheProbeOn() {
    assumeFalse(gpuHere(), "this machine's TensorFlow computes on a GPU");
    // the device of the probe op, not an empty list: oneDNN renames the CPU's MatMul op, the node keeps its name
    assertThat(DeviceReport.describe()).matches("CPU \\(TensorFlow placed a probe op on \\[/job:localhost/.*device:CPU:0\\]\\)");
    DeviceReport.require(DeviceReport.Wanted.auto);
  }

  @Test
  void anUnknownDeviceIsAUsageError() {
    StringWriter err = new StringWriter();
    int exit = new CommandLine(new RankingServerCommand()).setErr(new PrintWriter(err))
        .execute("--device", "tpu", "--bundle", "/nonexistent");
    assertThat(exit).isEqualTo(2);
    assertThat(err.toString()).contains("--device").contains("auto, gpu");
  }
}
