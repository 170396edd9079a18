package io.recsys.retrieval;

import picocli.CommandLine;

/** Runs the retrieval server on its own (container images start this). */
public final class RetrievalServerMain {

  private RetrievalServerMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new RetrievalServerCommand()).execute(args));
  }
}
