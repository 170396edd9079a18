package io.recsys.deploy.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.RecommenderServiceGrpc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.lifecycle.Startables;
import org.testcontainers.utility.DockerImageName;

/**
 * The three server images on one Docker network, each as Kubernetes runs it (read-only root fs,
 * writable /tmp, the bundle copied by the bundle image into a volume the servers mount read-only),
 * and a client channel to the gateway. Never pulls; labels everything it creates so that leftovers
 * of an interrupted run are removed at the next start (no Ryuk here).
 */
final class ContainerCluster implements AutoCloseable {

  private static final String LABEL = "io.recsys.deployment-test";
  static final int GATEWAY_PORT = 50050;

  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String volume = "recsys-it-models-" + UUID.randomUUID().toString().substring(0, 8);
  private final Network network = Network.builder()
      .createNetworkCmdModifier(cmd -> cmd.withLabels(Map.of(LABEL, "true"))).build();
  final GenericContainer<?> retrieval;
  final GenericContainer<?> ranking;
  final GenericContainer<?> gateway;
  private final ManagedChannel channel;

  ContainerCluster(Path bundleDir) {
    removeLeftovers();
    docker.createVolumeCmd().withName(volume).withLabels(Map.of(LABEL, "true")).exec();
    copyBundle(bundleDir);
    retrieval = server("retrieval", Map.of());
    ranking = server("ranking", Map.of());
    // generous deadlines: the first calls of cold JVMs on a shared 2-core machine are slow
    gateway = server("gateway", Map.of("RECSYS_SOURCE_TIMEOUT_MS", "2000", "RECSYS_RANKING_TIMEOUT_MS", "2000"))
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
    docker.stopContainerCmd(c.getContainerId()).withTimeout(10).exec();
  }

  void restart(GenericContainer<?> c) {
    docker.startContainerCmd(c.getContainerId()).exec();
  }

  /** What the pods' init container does: the bundle image copies /bundle/VERSION into the volume. */
  private void copyBundle(Path bundleDir) {
    try (GenericContainer<?> copy = new GenericContainer<>(DockerImageName.parse(RecsysImages.bundle(bundleDir)))
        .withImagePullPolicy(name -> false)
        .withLabel(LABEL, "true")
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(volume, new Volume("/models")))
            .withReadonlyRootfs(true))
        .withStartupCheckStrategy(new OneShotStartupCheckStrategy().withTimeout(Duration.ofMinutes(1)))) {
      copy.start();
    }
  }

  private GenericContainer<?> server(String name, Map<String, String> env) {
    return new GenericContainer<>(DockerImageName.parse(RecsysImages.server(name)))
        .withImagePullPolicy(n -> false)
        .withLabel(LABEL, "true")
        .withNetwork(network)
        .withNetworkAliases(name)
        .withEnv(env)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(volume, new Volume("/models"), AccessMode.ro))
            .withReadonlyRootfs(true)
            // exec: TensorFlow's native library is unpacked to and loaded from /tmp
            .withTmpFs(Map.of("/tmp", "rw,exec,size=2g")))
        .withLogConsumer(frame -> System.out.print("[" + name + "] " + frame.getUtf8String()))
        .waitingFor(Wait.forLogMessage(".*" + name + " server listening on port.*", 1)
            .withStartupTimeout(Duration.ofMinutes(3)));
  }

  /** Removes what any run of this test created and did not remove (no Ryuk to do it here). */
  static void removeLeftovers() {
    DockerClient docker = DockerClientFactory.instance().client();
    List<Container> old = docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "true")).exec();
    old.forEach(c -> docker.removeContainerCmd(c.getId()).withForce(true).exec());
    docker.listVolumesCmd().withFilter("label", List.of(LABEL)).exec().getVolumes()
        .forEach(v -> docker.removeVolumeCmd(v.getName()).exec());
    docker.listNetworksCmd().withFilter("label", List.of(LABEL)).exec()
        .forEach(n -> docker.removeNetworkCmd(n.getId()).exec());
  }

  @Override
  public void close() {
    channel.shutdownNow();
    for (GenericContainer<?> c : List.of(gateway, ranking, retrieval)) {
      c.stop();
    }
    network.close();
    docker.removeVolumeCmd(volume).exec();
  }
}
