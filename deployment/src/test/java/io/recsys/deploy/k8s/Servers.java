package io.recsys.deploy.k8s;

import io.recsys.common.config.EnvDefaults;
import io.recsys.gateway.GatewayServerCommand;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/** What each server really accepts, read from its picocli command (the source of truth for the manifests). */
enum Servers {
  RETRIEVAL("retrieval", RetrievalServerCommand::new),
  RANKING("ranking", RankingServerCommand::new),
  GATEWAY("gateway", GatewayServerCommand::new);

  /** The container name (and image name) that runs this server in k8s/. */
  final String container;
  private final Supplier<Object> command;

  Servers(String container, Supplier<Object> command) {
    this.container = container;
    this.command = command;
  }

  /** Whether a container of that name runs a recsys server (not, e.g., Redis). */
  static boolean runsIn(String container) {
    for (Servers s : values()) {
      if (s.container.equals(container)) {
        return true;
      }
    }
    return false;
  }

  static Servers byContainer(String name) {
    for (Servers s : values()) {
      if (s.container.equals(name)) {
        return s;
      }
    }
    throw new IllegalArgumentException("no recsys server runs in a container named " + name);
  }

  CommandSpec spec() {
    return new CommandLine(command.get()).getCommandSpec();
  }

  /** The port the server opens unless told otherwise: --port's declared default. */
  int defaultPort() {
    return Integer.parseInt(spec().findOption("--port").defaultValue());
  }

  /** The Prometheus port the server opens unless told otherwise: --metrics-port's declared default. */
  int defaultMetricsPort() {
    return Integer.parseInt(spec().findOption("--metrics-port").defaultValue());
  }

  /** RECSYS_* environment names of every option (what EnvDefaults reads). */
  Set<String> envNames() {
    Set<String> names = new TreeSet<>();
    for (OptionSpec o : spec().options()) {
      names.add(EnvDefaults.envName(o.longestName()));
    }
    return names;
  }

  /** Parses options the way the server does; a bad value throws picocli's ParameterException. */
  void parse(String... args) {
    new CommandLine(command.get()).parseArgs(args);
  }
}
