package io.recsys.deploy.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every overlay of k8s/, rendered and read with fabric8's Kubernetes model, checked against what
 * the servers really do: the ports their commands open, the options they read from RECSYS_*
 * variables, the images deployment/images/build.sh tags.
 */
class ManifestsTest {

  /** Set by the module's pom (recsys.image.tag); build.sh and the container tests use the same. */
  static final String TAG = Objects.requireNonNull(System.getProperty("recsys.image.tag"),
      "run through Maven: the recsys.image.tag system property comes from deployment/pom.xml");

  static Stream<String> overlays() {
    return Manifests.OVERLAYS.stream();
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyObjectParsesIntoTheKubernetesModelWithNoUnknownField(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    assertThat(objects).extracting(HasMetadata::getKind).contains(
        "Deployment", "StatefulSet", "Service", "ConfigMap", "PodDisruptionBudget", "HorizontalPodAutoscaler",
        "NetworkPolicy");
    for (HasMetadata o : objects) {
      assertThat(o).as("%s/%s", o.getKind(), o.getMetadata().getName()).isNotInstanceOf(GenericKubernetesResource.class);
      assertThat(UnknownFields.in(o)).as("fields the Kubernetes API does not know").isEmpty();
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void probesPortsAndServicesUseThePortTheServerOpens(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      int port = w.server().defaultPort();
      Container c = w.serverContainer();
      assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort)
          .containsExactly(port, w.server().defaultMetricsPort());
      for (Probe probe : List.of(c.getStartupProbe(), c.getReadinessProbe(), c.getLivenessProbe())) {
        assertThat(probe).as("%s has startup, readiness and liveness probes", w.name()).isNotNull();
        assertThat(probe.getGrpc()).as("%s probes speak grpc.health.v1", w.name()).isNotNull();
        assertThat(probe.getGrpc().getPort()).as("%s probe port", w.name()).isEqualTo(port);
      }
      List<Service> services = servicesOf(objects, w);
      assertThat(services).as("Services in front of %s", w.name()).isNotEmpty();
      for (Service s : services) {
        for (ServicePort sp : s.getSpec().getPorts()) {
          assertThat(sp.getPort()).isEqualTo(port);
          assertThat(sp.getTargetPort().getStrVal()).isIn(c.getPorts().stream().map(ContainerPort::getName).toList());
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void prometheusScrapesEveryServerOnTheMetricsPortItOpensAndTheNetworkPoliciesLetItIn(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      int metrics = w.server().defaultMetricsPort();
      assertThat(w.template().getMetadata().getAnnotations()).as("%s scrape annotations", w.name())
          .containsEntry("prometheus.io/scrape", "true")
          .containsEntry("prometheus.io/port", Integer.toString(metrics))
          .containsEntry("prometheus.io/path", "/metrics");
      assertThat(w.serverContainer().getPorts()).filteredOn(p -> "metrics".equals(p.getName()))
          .extracting(ContainerPort::getContainerPort).containsExactly(metrics);
      List<NetworkPolicy> policies = objects.stream().filter(NetworkPolicy.class::isInstance)
          .map(NetworkPolicy.class::cast)
          .filter(np -> w.template().getMetadata().getLabels().entrySet()
              .containsAll(np.getSpec().getPodSelector().getMatchLabels().entrySet()))
          .toList();
      assertThat(policies).as("NetworkPolicies of %s", w.name()).isNotEmpty();
      assertThat(policies.stream().flatMap(np -> np.getSpec().getIngress().stream())
          .filter(rule -> rule.getFrom() == null || rule.getFrom().isEmpty())
          .flatMap(rule -> rule.getPorts().stream()).map(p -> p.getPort().getStrVal()))
          .as("%s admits scrapes", w.name()).contains("metrics");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyRecsysVariableIsAnOptionOfTheServerThatReadsItWithAValidValue(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      Map<String, String> env = recsysEnv(objects, w.serverContainer());
      assertThat(env).as("%s's configuration", w.name()).isNotEmpty();
      assertThat(w.server().envNames()).as("options of %s", w.name()).containsAll(env.keySet());
      List<String> args = new ArrayList<>();
      env.forEach((k, v) -> {
        args.add("--" + k.substring("RECSYS_".length()).toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
        args.add(v);
      });
      w.server().parse(args.toArray(String[]::new));
      if (env.containsKey("RECSYS_PORT")) {
        assertThat(Integer.parseInt(env.get("RECSYS_PORT"))).isEqualTo(w.server().defaultPort());
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theGatewayBalancesPerCallOverHeadlessServicesOfTheOtherServers(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    Workload gateway = workload(objects, Servers.GATEWAY);
    Map<String, String> env = recsysEnv(objects, gateway.serverContainer());
    for (Servers backend : List.of(Servers.RETRIEVAL, Servers.RANKING)) {
      String option = "RECSYS_" + backend.container.toUpperCase(java.util.Locale.ROOT);
      String target = env.get(option);
      assertThat(target).as(option).startsWith("dns:///");
      String host = target.substring("dns:///".length(), target.lastIndexOf(':'));
      int port = Integer.parseInt(target.substring(target.lastIndexOf(':') + 1));
      assertThat(port).isEqualTo(backend.defaultPort());
      Service service = servicesOf(objects, workload(objects, backend)).stream()
          .filter(s -> s.getMetadata().getName().equals(host)).findFirst()
          .orElseThrow(() -> new AssertionError(option + " names " + host + ", no Service of " + backend.container));
      assertThat(service.getSpec().getClusterIP()).as("headless, so DNS lists every pod").isEqualTo("None");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void imagesAreTheOnesBuildShTagsAndEveryPodCopiesTheSameBundle(String overlay) throws Exception {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    List<String> bundles = new ArrayList<>();
    for (Workload w : workloads(objects)) {
      String tag = overlay.equals("gpu") && w.server() == Servers.RANKING ? TAG + "-gpu" : TAG;
      assertThat(w.serverContainer().getImage()).isEqualTo("recsys/" + w.server().container + ":" + tag);
      assertThat(w.pod().getInitContainers()).hasSize(1);
      bundles.add(w.pod().getInitContainers().get(0).getImage());
    }
    assertThat(bundles).hasSize(3).containsOnly("recsys/bundle:" + TAG);
    String buildSh = Files.readString(Manifests.K8S.resolveSibling("deployment/images/build.sh"));
    assertThat(buildSh).contains("TAG=\"${RECSYS_IMAGE_TAG:-" + TAG + "}\"")
        .as("build.sh --bundle tags the bundle image with the tag the manifests name")
        .contains("docker tag \"recsys/bundle:$version\" \"recsys/bundle:$TAG\"");
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void podsRunAsNonRootOnAReadOnlyRootFsWithWritableTmpAndBoundedResources(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      PodSpec pod = w.pod();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isPositive();
      List<Container> all = new ArrayList<>(pod.getContainers());
      all.addAll(pod.getInitContainers());
      for (Container c : all) {
        assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).as(c.getName()).isTrue();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).as(c.getName()).isFalse();
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");
        for (String r : List.of("cpu", "memory")) {
          assertThat(c.getResources().getRequests()).as("%s requests", c.getName()).containsKey(r);
          assertThat(c.getResources().getLimits()).as("%s limits", c.getName()).containsKey(r);
          assertThat(Quantity.getAmountInBytes(c.getResources().getRequests().get(r)))
              .isLessThanOrEqualTo(Quantity.getAmountInBytes(c.getResources().getLimits().get(r)));
        }
      }
      Container server = w.serverContainer();
      assertThat(emptyDirAt(pod, server, "/tmp").getReadOnly()).as("/tmp writable").isNotEqualTo(Boolean.TRUE);
      assertThat(emptyDirAt(pod, server, "/models").getReadOnly()).as("the server only reads the bundle").isTrue();
      assertThat(emptyDirAt(pod, pod.getInitContainers().get(0), "/models").getReadOnly()).isNotEqualTo(Boolean.TRUE);
      assertThat(recsysEnv(objects, server).get("RECSYS_BUNDLE")).isEqualTo("/models");
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void everyWorkloadHasADisruptionBudgetAndAnAutoscalerThatSelectIt(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      assertThat(of(objects, PodDisruptionBudget.class))
          .filteredOn(pdb -> w.labels().entrySet().containsAll(pdb.getSpec().getSelector().getMatchLabels().entrySet()))
          .as("PDB of %s", w.name()).hasSize(1);
      assertThat(of(objects, HorizontalPodAutoscaler.class))
          .filteredOn(h -> h.getSpec().getScaleTargetRef().getKind().equals(w.kind())
              && h.getSpec().getScaleTargetRef().getName().equals(w.name()))
          .as("HPA of %s", w.name()).singleElement()
          .satisfies(h -> assertThat(h.getSpec().getMinReplicas()).isPositive()
              .isLessThanOrEqualTo(h.getSpec().getMaxReplicas()));
    }
    assertThat(workload(objects, Servers.RETRIEVAL).kind()).as("retrieval is ready for index shards").isEqualTo("StatefulSet");
  }

  @Test
  void onlyTheGpuOverlayPutsTheRankerOnGpuNodes() {
    for (String overlay : Manifests.OVERLAYS) {
      for (Workload w : workloads(Manifests.overlay(overlay))) {
        boolean gpu = overlay.equals("gpu") && w.server() == Servers.RANKING;
        Map<String, Quantity> limits = w.serverContainer().getResources().getLimits();
        assertThat(limits.containsKey("nvidia.com/gpu")).as("%s/%s GPU limit", overlay, w.name()).isEqualTo(gpu);
        if (gpu) {
          assertThat(limits.get("nvidia.com/gpu").getAmount()).isEqualTo("1");
          assertThat(w.serverContainer().getResources().getRequests().get("nvidia.com/gpu").getAmount()).isEqualTo("1");
          assertThat(recsysEnv(Manifests.overlay(overlay), w.serverContainer()))
              .as("the ranker refuses to start where it would not compute on the GPU").containsEntry("RECSYS_DEVICE", "gpu");
          // the GPU request finds GPU nodes; a node label would need node-feature-discovery installed
          assertThat(w.pod().getNodeSelector()).as("node selector").isNullOrEmpty();
          assertThat(w.pod().getAffinity()).as("node affinity").isNull();
          assertThat(w.pod().getTolerations()).anySatisfy(t -> {
            assertThat(t.getKey()).isEqualTo("nvidia.com/gpu");
            assertThat(t.getOperator()).isEqualTo("Exists");
            assertThat(t.getEffect()).isEqualTo("NoSchedule");
          });
        } else {
          assertThat(w.pod().getTolerations()).isNullOrEmpty();
        }
      }
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theAutoscalerOwnsTheReplicaCountAndLeavesTheDisruptionBudgetRoomToDrainANode(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    for (Workload w : workloads(objects)) {
      assertThat(w.replicas()).as("%s/%s sets replicas beside its HPA: every apply would reset the HPA's count",
          overlay, w.name()).isNull();
      HorizontalPodAutoscaler hpa = of(objects, HorizontalPodAutoscaler.class).stream()
          .filter(h -> h.getSpec().getScaleTargetRef().getName().equals(w.name())).findFirst().orElseThrow();
      PodDisruptionBudget pdb = of(objects, PodDisruptionBudget.class).stream()
          .filter(p -> w.labels().entrySet().containsAll(p.getSpec().getSelector().getMatchLabels().entrySet()))
          .findFirst().orElseThrow();
      assertThat(hpa.getSpec().getMinReplicas()).as("%s/%s minReplicas beside minAvailable %s", overlay, w.name(),
          pdb.getSpec().getMinAvailable()).isGreaterThan(pdb.getSpec().getMinAvailable().getIntVal());
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void replicasSpreadOverNodesAndZonesAndDrainBeforeTheyStop(String overlay) {
    for (Workload w : workloads(Manifests.overlay(overlay))) {
      assertThat(w.pod().getTopologySpreadConstraints()).as("%s spread", w.name())
          .extracting(TopologySpreadConstraint::getTopologyKey)
          .contains("kubernetes.io/hostname", "topology.kubernetes.io/zone");
      for (TopologySpreadConstraint t : w.pod().getTopologySpreadConstraints()) {
        assertThat(t.getLabelSelector().getMatchLabels()).as("%s spreads its own pods", w.name())
            .isEqualTo(Map.of("app.kubernetes.io/name", w.server().container));
        // DoNotSchedule would leave a second replica pending on a one-node cluster
        assertThat(t.getWhenUnsatisfiable()).isEqualTo("ScheduleAnyway");
      }
      // preStop runs before SIGTERM: the pod leaves endpoints and DNS while it still answers, and
      // the grace period leaves the server time to finish its calls in flight after the pause
      int pause = w.serverContainer().getLifecycle().getPreStop().getSleep().getSeconds().intValue();
      assertThat(pause).as("%s preStop pause", w.name()).isBetween(5, 15);
      assertThat(w.pod().getTerminationGracePeriodSeconds()).isGreaterThanOrEqualTo(pause + 15L);
    }
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void onlyTheGatewayReachesRetrievalRankingAndRedisAndAnyClientReachesTheGateway(String overlay) {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    Map<String, String> gateway = Map.of("app.kubernetes.io/name", "gateway");
    Map<String, Map<String, String>> allowedFrom = Map.of(
        "retrieval", gateway, "ranking", gateway, "redis", gateway, "gateway", Map.of());
    allowedFrom.forEach((name, from) -> {
      List<NetworkPolicy> policies = of(objects, NetworkPolicy.class).stream()
          .filter(p -> p.getSpec().getPodSelector().getMatchLabels().equals(Map.of("app.kubernetes.io/name", name)))
          .toList();
      assertThat(policies).as("NetworkPolicy of %s", name).singleElement()
          .satisfies(p -> assertThat(p.getSpec().getPolicyTypes()).containsExactly("Ingress"));
      // every rule that admits the port the server serves on (other ports, e.g. metrics, are not its calls)
      Container c = podOf(objects, name).getContainers().get(0);
      String served = c.getPorts().get(0).getName();
      List<NetworkPolicyIngressRule> admitting = policies.get(0).getSpec().getIngress().stream()
          .filter(rule -> rule.getPorts() == null || rule.getPorts().isEmpty()
              || rule.getPorts().stream().anyMatch(port -> served.equals(port.getPort().getStrVal())))
          .toList();
      assertThat(admitting).as("rules admitting %s's %s port", name, served).isNotEmpty().allSatisfy(rule -> {
        assertThat(rule.getPorts()).as("a named port of the pod").isNotEmpty().allSatisfy(port ->
            assertThat(port.getPort().getStrVal()).isIn(c.getPorts().stream().map(ContainerPort::getName).toList()));
        if (from.isEmpty()) {
          assertThat(rule.getFrom()).as("%s is open to every client", name).isNullOrEmpty();
        } else {
          assertThat(rule.getFrom()).singleElement().satisfies(peer -> {
            assertThat(peer.getPodSelector().getMatchLabels()).isEqualTo(from);
            assertThat(peer.getNamespaceSelector()).as("this namespace only").isNull();
            assertThat(peer.getIpBlock()).isNull();
          });
        }
      });
    });
  }

  /**
   * The Kafka catalog log is a commented setting (a Kafka broker is not part of these manifests):
   * one value in all three servers' ConfigMaps, an option each server accepts, and a policy that
   * lets all three reach the brokers.
   */
  @ParameterizedTest
  @MethodSource("overlays")
  void theKafkaCatalogLogIsOneSettingEveryServerAcceptsAndAllThreeMayReachKafka(String overlay) throws Exception {
    java.util.regex.Pattern commented = java.util.regex.Pattern.compile("(?m)^ +# RECSYS_CATALOG_LOG: (\\S+)$");
    java.util.Set<String> values = new java.util.TreeSet<>();
    for (Servers server : Servers.values()) {
      java.util.regex.Matcher m = commented.matcher(Files.readString(Manifests.K8S.resolve("base/" + server.container + ".yaml")));
      assertThat(m.find()).as("commented RECSYS_CATALOG_LOG in %s.yaml", server.container).isTrue();
      values.add(m.group(1));
      server.parse("--catalog-log", m.group(1));
    }
    assertThat(values).singleElement().asString().startsWith("kafka://");
    int port = Integer.parseInt(io.recsys.state.log.KafkaTopics.Location.parse("--catalog-log", values.iterator().next())
        .bootstrap().replaceFirst(".*:", ""));

    List<NetworkPolicy> kafka = of(Manifests.overlay(overlay), NetworkPolicy.class).stream()
        .filter(p -> p.getSpec().getPodSelector().getMatchLabels().equals(Map.of("app.kubernetes.io/name", "kafka")))
        .toList();
    assertThat(kafka).singleElement().satisfies(p -> assertThat(p.getSpec().getIngress())
        .filteredOn(rule -> rule.getPorts() != null && rule.getPorts().stream()
            .anyMatch(q -> Objects.equals(q.getPort().getIntVal(), port)))
        .singleElement().satisfies(rule -> assertThat(rule.getFrom())
            .extracting(peer -> peer.getPodSelector().getMatchLabels().get("app.kubernetes.io/name"))
            .containsExactlyInAnyOrder("gateway", "retrieval", "ranking")));
  }

  @ParameterizedTest
  @MethodSource("overlays")
  void theGatewaysMemoryLimitHoldsTheHistoryItMayKeepInMemory(String overlay) throws Exception {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    Workload gateway = workload(objects, Servers.GATEWAY);
    Map<String, String> env = recsysEnv(objects, gateway.serverContainer());
    // measured: an EmbeddedHistoryStore of 5,000 users x 200 events retains ~110 bytes per event
    long bytesPerEvent = 110;
    long history = bytesPerEvent * Long.parseLong(env.get("RECSYS_HISTORY_SIZE"))
        * Long.parseLong(env.get("RECSYS_HISTORY_MAX_USERS"));
    String dockerfile = Files.readString(Manifests.K8S.resolveSibling("deployment/images/Dockerfile"));
    java.util.regex.Matcher ram = java.util.regex.Pattern.compile("-XX:MaxRAMPercentage=(\\d+)").matcher(dockerfile);
    assertThat(ram.find()).as("the image sizes its heap from the container's limit").isTrue();
    long limit = Quantity.getAmountInBytes(gateway.serverContainer().getResources().getLimits().get("memory")).longValue();
    long heap = limit * Integer.parseInt(ram.group(1)) / 100;
    assertThat(history).as("in-memory history (--history-store embedded) against half of a %d MiB heap", heap >> 20)
        .isLessThanOrEqualTo(heap / 2);
  }

  @Test
  void theGpuRankerScalesOnItsQueueNotOnCpu() {
    HorizontalPodAutoscaler hpa = of(Manifests.overlay("gpu"), HorizontalPodAutoscaler.class).stream()
        .filter(h -> h.getSpec().getScaleTargetRef().getName().equals("ranking")).findFirst().orElseThrow();
    assertThat(hpa.getSpec().getMetrics()).singleElement().satisfies(m -> {
      assertThat(m.getType()).isEqualTo("Pods");
      assertThat(m.getPods().getMetric().getName()).isEqualTo("recsys_ranking_queued_rows");
      assertThat(m.getPods().getTarget().getType()).isEqualTo("AverageValue");
    });
    assertThat(hpa.getSpec().getMaxReplicas()).as("one ranker per GPU: the GPU budget caps it").isLessThanOrEqualTo(4);
  }

  // ---- reading the rendered objects

  @ParameterizedTest
  @MethodSource("overlays")
  void theGatewaysShareTheirHistoryThroughARedisStatefulSetWithAVolumeAndMatchingMemory(String overlay) throws Exception {
    List<HasMetadata> objects = Manifests.overlay(overlay);
    StatefulSet redis = of(objects, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals("redis"))
        .findFirst().orElseThrow(() -> new AssertionError("no redis StatefulSet"));
    PodSpec pod = redis.getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    assertThat(c.getImage()).isEqualTo("recsys/redis:" + TAG);
    assertThat(c.getPorts()).extracting(ContainerPort::getContainerPort).containsExactly(6379);
    assertThat(c.getReadinessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(6379);
    assertThat(c.getLivenessProbe().getTcpSocket().getPort().getIntVal()).isEqualTo(6379);
    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(c.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(c.getSecurityContext().getCapabilities().getDrop()).contains("ALL");

    // the data lives on the StatefulSet's own volume, where redis.conf puts it
    String redisConf = of(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals("redis-config"))
        .findFirst().orElseThrow().getData().get("redis.conf");
    assertThat(redis.getSpec().getVolumeClaimTemplates()).extracting(v -> v.getMetadata().getName()).containsExactly("data");
    assertThat(c.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getName()).isEqualTo("data");
      assertThat(redisConf).contains("dir " + m.getMountPath());
    });
    assertThat(c.getArgs()).containsExactly("/etc/redis/redis.conf");
    assertThat(redisConf).contains("appendonly yes").contains("maxmemory-policy volatile-lru");

    // memory: Redis's maxmemory leaves headroom (AOF rewrite forks) under the container's limit
    long maxmemory = Quantity.getAmountInBytes(new Quantity(redisConf.lines().filter(l -> l.startsWith("maxmemory "))
        .findFirst().orElseThrow().substring("maxmemory ".length()).replace("mb", "Mi"))).longValue();
    long limit = Quantity.getAmountInBytes(c.getResources().getLimits().get("memory")).longValue();
    assertThat(maxmemory).isLessThanOrEqualTo(limit * 8 / 10);

    // the gateway's history store is that Service, on that port
    Service service = of(objects, Service.class).stream().filter(s -> s.getMetadata().getName().equals("redis"))
        .findFirst().orElseThrow();
    assertThat(service.getSpec().getSelector()).isEqualTo(redis.getSpec().getSelector().getMatchLabels());
    Workload gateway = workload(objects, Servers.GATEWAY);
    Map<String, String> env = recsysEnv(objects, gateway.serverContainer());
    int port = service.getSpec().getPorts().get(0).getPort();
    assertThat(env.get("RECSYS_HISTORY_STORE")).startsWith("redis://" + service.getMetadata().getName() + ":" + port);
    // and its event log is a writable volume of the pod, not the read-only image
    String logDir = env.get("RECSYS_EVENT_LOG").substring("file:".length()).replaceFirst("\\?.*", "");
    assertThat(emptyDirAt(gateway.pod(), gateway.serverContainer(), logDir).getReadOnly()).isNotEqualTo(Boolean.TRUE);
    String buildSh = Files.readString(Manifests.K8S.resolveSibling("deployment/images/build.sh"));
    assertThat(buildSh).contains("\"recsys/redis:$TAG\"");
  }

  /** A Deployment or StatefulSet running one recsys server. */
  record Workload(String kind, String name, PodTemplateSpec template, Integer replicas) {
    PodSpec pod() {
      return template.getSpec();
    }

    Map<String, String> labels() {
      return template.getMetadata().getLabels();
    }

    Container serverContainer() {
      assertThat(pod().getContainers()).as("containers of %s", name).hasSize(1);
      return pod().getContainers().get(0);
    }

    Servers server() {
      return Servers.byContainer(serverContainer().getName());
    }
  }

  /** The workloads that run recsys servers (Redis is checked on its own). */
  static List<Workload> workloads(List<HasMetadata> objects) {
    List<Workload> out = new ArrayList<>();
    of(objects, Deployment.class).forEach(d -> out.add(new Workload("Deployment", d.getMetadata().getName(),
        d.getSpec().getTemplate(), d.getSpec().getReplicas())));
    of(objects, StatefulSet.class).forEach(s -> out.add(new Workload("StatefulSet", s.getMetadata().getName(),
        s.getSpec().getTemplate(), s.getSpec().getReplicas())));
    out.removeIf(w -> !Servers.runsIn(w.pod().getContainers().get(0).getName()));
    assertThat(out).extracting(Workload::server).containsExactlyInAnyOrder(Servers.values());
    return out;
  }

  static Workload workload(List<HasMetadata> objects, Servers server) {
    return workloads(objects).stream().filter(w -> w.server() == server).findFirst().orElseThrow();
  }

  /** The pod template of the Deployment or StatefulSet of that name (Redis included). */
  static PodSpec podOf(List<HasMetadata> objects, String name) {
    return Stream.concat(
            of(objects, Deployment.class).stream().filter(d -> d.getMetadata().getName().equals(name))
                .map(d -> d.getSpec().getTemplate().getSpec()),
            of(objects, StatefulSet.class).stream().filter(s -> s.getMetadata().getName().equals(name))
                .map(s -> s.getSpec().getTemplate().getSpec()))
        .findFirst().orElseThrow(() -> new AssertionError("no workload " + name));
  }

  static List<Service> servicesOf(List<HasMetadata> objects, Workload w) {
    return of(objects, Service.class).stream()
        .filter(s -> w.labels().entrySet().containsAll(s.getSpec().getSelector().entrySet()))
        .toList();
  }

  /** RECSYS_* variables a container gets, from its ConfigMaps (envFrom) and then its own env, as Kubernetes resolves them. */
  static Map<String, String> recsysEnv(List<HasMetadata> objects, Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvFromSource from : c.getEnvFrom()) {
      String name = from.getConfigMapRef().getName();
      ConfigMap cm = of(objects, ConfigMap.class).stream().filter(m -> m.getMetadata().getName().equals(name))
          .findFirst().orElseThrow(() -> new AssertionError(c.getName() + " reads ConfigMap " + name + ", which is missing"));
      env.putAll(cm.getData());
    }
    for (EnvVar e : c.getEnv()) {
      env.put(e.getName(), e.getValue());
    }
    env.keySet().removeIf(k -> !k.startsWith("RECSYS_"));
    return env;
  }

  private static VolumeMount emptyDirAt(PodSpec pod, Container c, String path) {
    VolumeMount m = c.getVolumeMounts().stream().filter(v -> v.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError(c.getName() + " mounts nothing at " + path));
    Volume v = pod.getVolumes().stream().filter(x -> x.getName().equals(m.getName())).findFirst().orElseThrow();
    assertThat(v.getEmptyDir()).as("%s of %s is an emptyDir", path, c.getName()).isNotNull();
    return m;
  }

  static <T> List<T> of(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(type::cast).toList();
  }
}
