package io.recsys.cli;

import io.recsys.common.config.EnvDefaults;
import io.recsys.cli.online.OnlineReportCommand;
import io.recsys.models.eval.EvaluateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code bin/recsys}: the one launcher for training, serving, querying and evaluating. */
@Command(name = "recsys", mixinStandardHelpOptions = true, version = "recsys 0.1.0",
    defaultValueProvider = EnvDefaults.class,
    description = "Two-stage deep-learning recommender serving over gRPC.",
    subcommands = {QuickstartCommand.class, GenerateCommand.class, TrainCommand.class, ReshardCommand.class,
        ServeCommand.class, RecommendCommand.class, FeedbackCommand.class, LoadTestCommand.class,
        EvaluateCommand.class, OnlineReportCommand.class})
public final class RecsysCli {

  public static void main(String[] args) {
    int code = new CommandLine(new RecsysCli())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("error: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
          if (Boolean.getBoolean("recsys.debug")) {
            e.printStackTrace(cmd.getErr());
          }
          return 1;
        })
        .execute(args);
    if (code != 0) {
      System.exit(code);
    }
  }
}
