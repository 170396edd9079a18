package io.recsys.gateway;

import picocli.CommandLine;

/** Runs the gateway alone (the container image's entry point); {@code bin/recsys serve gateway} does the same. */
public final class GatewayServerMain {

  private GatewayServerMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new GatewayServerCommand()).execute(args));
  }
}
