package io.recsys.deploy.containers;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.AccessMode;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Volume;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.Network;
import org.testcontainers.containers.startupcheck.OneShotStartupCheckStrategy;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.utility.DockerImageName;

/**
 * One Docker network and one volume holding a bundle, and server containers on them as Kubernetes
 * runs the pods (read-only root fs, writable /tmp, the bundle copied by the bundle image into the
 * volume the servers mount read-only). Never pulls; labels everything it creates so that leftovers
 * of an interrupted run are removed at the next start (no Ryuk here).
 */
final class DockerSandbox implements AutoCloseable {

  private static final String LABEL = "io.recsys.deployment-test";

  private final DockerClient docker = DockerClientFactory.instance().client();
  private final String volume = "recsys-it-models-" + UUID.randomUUID().toString().substring(0, 8);
  private final Network network = Network.builder()
      .createNetworkCmdModifier(cmd -> cmd.withLabels(Map.of(LABEL, "true"))).build();
  private final List<GenericContainer<?>> servers = new ArrayList<>();

  DockerSandbox(Path bundleDir) {
    removeLeftovers();
    docker.createVolumeCmd().withName(volume).withLabels(Map.of(LABEL, "true")).exec();
    copyBundle(bundleDir);
  }

  /**
   * A container of recsys/IMAGE (not started) reachable on the network as {@code alias}; several
   * containers may share an alias, as a headless Service's pods share its DNS name. Ready when the
   * server logs that it listens. Its log lines are printed prefixed with {@code name}.
   */
  GenericContainer<?> server(String image, String name, String alias, Map<String, String> env) {
    GenericContainer<?> c = new GenericContainer<>(DockerImageName.parse(RecsysImages.server(image)))
        .withImagePullPolicy(n -> false)
        .withLabel(LABEL, "true")
        .withNetwork(network)
        .withNetworkAliases(alias)
        .withEnv(env)
        .withCreateContainerCmdModifier(cmd -> cmd.getHostConfig()
            .withBinds(new Bind(volume, new Volume("/models"), AccessMode.ro))
            .withReadonlyRootfs(true)
            // exec: TensorFlow's native library is unpacked to and loaded from /tmp
            .withTmpFs(Map.of("/tmp", "rw,exec,size=2g")))
        .withLogConsumer(frame -> System.out.print("[" + name + "] " + frame.getUtf8String()))
        .waitingFor(Wait.forLogMessage(".*" + image + " server listening on port.*", 1)
            .withStartupTimeout(Duration.ofMinutes(3)));
    servers.add(c);
    return c;
  }

  /** docker stop: SIGTERM, the server shuts down gracefully, the container stays for a restart. */
  void stop(GenericContainer<?> c) {
    docker.stopContainerCmd(c.getContainerId()).withTimeout(10).exec();
  }

  /** kill -9: the process dies at once, its connections are reset mid-call. */
  void kill(GenericContainer<?> c) {
    docker.killContainerCmd(c.getContainerId()).withSignal("KILL").exec();
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

  /** Removes what any run of these tests created and did not remove (no Ryuk to do it here). */
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
    for (GenericContainer<?> c : servers.reversed()) {
      c.stop();
    }
    network.close();
    docker.removeVolumeCmd(volume).exec();
  }
}
