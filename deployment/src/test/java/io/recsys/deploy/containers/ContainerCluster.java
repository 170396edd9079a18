package io.recsys.deploy.containers;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.lifecycle.Startables;

/** The three server images, one container each, in a {@link DockerSandbox}, and a client channel to the gateway. */
final class ContainerCluster implements AutoCloseable {

  static final int GATEWAY_PORT = 50050;

  private final DockerSandbox sandbox;
  final GenericContainer<?> retrieval;
  final GenericContainer<?> ranking;
  final GenericContainer<?> gateway;
  private final ManagedChannel channel;

  ContainerCluster(Path bundleDir) {
    sandbox = new DockerSandbox(bundleDir);
    retrieval = sandbox.server("retrieval", "retrieval", "retrieval", Map.of());
    ranking = sandbox.server("ranking", "ranking", "ranking", Map.of());
    // generous deadlines: the first calls of cold JVMs on a shared 2-core machine are slow
    gateway = sandbox.server("gateway", "gateway", "gateway",
            Map.of("RECSYS_SOURCE_TIMEOUT_MS", "2000", "RECSYS_RANKING_TIMEOUT_MS", "2000"))
        .withExposedPorts(GATEWAY_PORT);
    // backends first: a gateway that starts earlier finds them refusing connections and retries
    // with gRPC's growing backoff, so its first calls would answer degraded for a while
    Startables.deepStart(retrieval, ranking).join();
    gateway.start();
    channel = ManagedChannelBuilder.forAddress(gateway.getHost(), gateway.getMappedPort(GATEWAY_PORT))
        .usePlaintext().build();
  }

  RecommenderServiceGrpc.RecommenderServiceBlockingStub gatewayStub() {
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  /** docker stop: SIGTERM, the server shuts down gracefully, the container stays for a restart. */
  void stop(GenericContainer<?> c) {
    sandbox.stop(c);
  }

  void restart(GenericContainer<?> c) {
    sandbox.restart(c);
  }

  @Override
  public void close() {
    channel.shutdownNow();
    sandbox.close();
  }
}
