package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad protocol knobs are refused with a usage error before any data is read. */
class EvaluateCommandTest {

  private static String refusal(Path dir, String... args) {
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new EvaluateCommand()).setErr(new PrintWriter(err));
    String[] all = new String[args.length + 2];
    all[0] = "--data";
    all[1] = dir.resolve("missing").toString();
    System.arraycopy(args, 0, all, 2, args.length);
    assertThat(cmd.execute(all)).isEqualTo(CommandLine.ExitCode.USAGE);
    return err.toString();
  }

  @Test
  void unknownProtocolCutOutsideZeroOneAndDecayOutsideZeroOneAreRefused(@TempDir Path dir) {
    assertThat(refusal(dir, "--protocol", "random"))
        .contains("unknown protocol 'random'; expected one of [leave-last-out, temporal]");
    assertThat(refusal(dir, "--protocol", "temporal", "--temporal-cut", "1.5"))
        .contains("--temporal-cut must lie in (0, 1), got 1.5");
    assertThat(refusal(dir, "--recency-decays", "0.5,0")).contains("--recency-decays must lie in (0, 1], got 0.0");
  }
}
