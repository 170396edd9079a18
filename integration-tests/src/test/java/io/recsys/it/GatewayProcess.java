package io.recsys.it;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.gateway.GatewayServerMain;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A gateway in a JVM of its own (what {@code bin/recsys serve gateway} runs), so a test can kill it
 * with SIGKILL and start it again on the same port, log and store. Its output goes to a file.
 */
final class GatewayProcess implements AutoCloseable {

  private final List<String> command;
  private final Path output;
  private final int port;
  private final ManagedChannel channel;
  private Process process;

  private GatewayProcess(List<String> command, Path output, int port) {
    this.command = command;
    this.output = output;
    this.port = port;
    this.channel = ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
  }

  /** Starts a gateway in front of the system's servers with the extra options, and waits until it serves. */
  static GatewayProcess start(RunningSystem system, String... extra) throws IOException, InterruptedException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-modules") || arg.startsWith("--enable-native-access")
          || arg.startsWith("--sun-misc-unsafe-memory-access")) {
        command.add(arg);
      }
    }
    command.addAll(List.of("-Xmx512m", "-cp", System.getProperty("java.class.path"), GatewayServerMain.class.getName()));
    command.addAll(List.of(system.gatewayArgs(port, extra)));
    GatewayProcess gateway = new GatewayProcess(command, Files.createTempFile("recsys-gateway-process", ".out"), port);
    gateway.startAgain();
    return gateway;
  }

  /** Starts the process (again) with the same options and waits until its health service says SERVING. */
  void startAgain() throws IOException, InterruptedException {
    process = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile())).start();
    HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(channel);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("gateway process exited with " + process.exitValue() + ":\n" + output());
      }
      try {
        if (health.withDeadlineAfter(1, TimeUnit.SECONDS).check(HealthCheckRequest.getDefaultInstance()).getStatus()
            == HealthCheckResponse.ServingStatus.SERVING) {
          return;
        }
      } catch (RuntimeException notYet) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new IOException("gateway process did not serve within 120 s:\n" + output());
  }

  /** SIGKILL: no shutdown hook, no flush, no close; what a crash or an OOM kill does. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  RecommenderServiceGrpc.RecommenderServiceBlockingStub stub() {
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  /** Everything the process printed, over all its starts. */
  String output() throws IOException {
    return Files.readString(output);
  }

  @Override
  public void close() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(30, TimeUnit.SECONDS)) {
        process.destroyForcibly();
      }
    }
    Files.deleteIfExists(output);
  }
}
