package io.recsys.ranking;

import picocli.CommandLine;

/** Runs the ranking server on its own (container images start this). */
public final class RankingServerMain {

  private RankingServerMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RankingServerCommand()).execute(args));
  }
}
