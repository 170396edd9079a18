package io.recsys.it;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.gateway.GatewayServerCommand;
import io.recsys.models.testing.TestBundles;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/**
 * The three real servers on free localhost ports over one small trained bundle, started through
 * the same commands as {@code bin/recsys serve}, and a client channel to the gateway.
 */
final class RunningSystem implements AutoCloseable {

  final TestBundles.Fixture fixture;
  final RecsysServer retrieval;
  final RecsysServer ranking;
  final RecsysServer gateway;
  final ManagedChannel channel;
  /** The event log directory of gateways not given one: a fresh one per system, so tests do not share logs. */
  final Path eventLog;
  private final String bundle;

  RunningSystem() throws Exception {
    this(TestBundles.small().bundleDir());
  }

  /** @param bundle a bundle directory or a root of versioned bundles */
  RunningSystem(Path bundlePath, String... serverArgs) throws Exception {
    this(bundlePath, new int[3], serverArgs);
  }

  /**
   * @param metricsPorts the {@code --metrics-port} of retrieval, ranking and the gateway; 0 = no
   *     endpoint (the default: tests on one machine would otherwise all want 9090-9092)
   */
  RunningSystem(Path bundlePath, int[] metricsPorts, String... serverArgs) throws Exception {
    fixture = TestBundles.small();
    bundle = bundlePath.toString();
    eventLog = java.nio.file.Files.createTempDirectory("recsys-it-events");
    retrieval = start(new RetrievalServerCommand(), concat(serverArgs, "--port", "0", "--bundle", bundle,
        "--metrics-port", Integer.toString(metricsPorts[0])));
    ranking = start(new RankingServerCommand(), concat(serverArgs, "--port", "0", "--bundle", bundle,
        "--metrics-port", Integer.toString(metricsPorts[1])));
    gateway = startGateway(concat(serverArgs, "--metrics-port", Integer.toString(metricsPorts[2])));
    channel = ManagedChannelBuilder.forAddress("localhost", gateway.port()).usePlaintext().build();
  }

  /** The options of a gateway in front of this system's retrieval and ranking servers (port 0: any free one). */
  String[] gatewayArgs(int port, String... extra) {
    if (!java.util.List.of(extra).contains("--event-log")) {
      extra = concat(extra, "--event-log", "file:" + eventLog);
    }
    if (!java.util.List.of(extra).contains("--metrics-port")) {
      extra = concat(extra, "--metrics-port", "0");
    }
    return concat(extra, "--port", Integer.toString(port), "--bundle", bundle,
        "--retrieval", "localhost:" + retrieval.port(), "--ranking", "localhost:" + ranking.port(),
        // generous: the first calls of a cold JVM on a shared 2-core machine are slow
        "--source-timeout-ms", "3000", "--ranking-timeout-ms", "3000");
  }

  /** Another gateway (e.g. a second replica) in this JVM; the caller closes it. */
  RecsysServer startGateway(String... extra) throws java.io.IOException {
    return start(new GatewayServerCommand(), gatewayArgs(0, extra));
  }

  RecommenderServiceGrpc.RecommenderServiceBlockingStub gatewayStub() {
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS);
  }

  private static String[] concat(String[] extra, String... args) {
    String[] all = java.util.Arrays.copyOf(args, args.length + extra.length);
    System.arraycopy(extra, 0, all, args.length, extra.length);
    return all;
  }

  private static RecsysServer start(ServerCommand command, String... args) throws java.io.IOException {
    new CommandLine(command).parseArgs(args);
    return command.start();
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    gateway.close();
    ranking.close();
    retrieval.close();
    io.recsys.state.testing.TempDirs.deleteTree(eventLog);
  }
}
