package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.ServerStatus;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.server.RecsysServer;
import io.recsys.models.testing.TestBundles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new bundle rolls out under traffic: the model servers watch a root of versioned bundles, load
 * a newer one beside the old, swap, and close the old after its in-flight requests; no request
 * fails. A broken bundle is refused and the current one keeps serving.
 */
class BundleRolloutTest {

  static final String V1 = "20260101-000000";
  static final String V2 = "20260101-000100";
  static final String BROKEN = "20260101-000200";

  @Test
  void newBundlesAreSwappedInWithoutAFailedRequestAndBrokenOnesAreRefused(@TempDir Path root) throws Exception {
    Path source = TestBundles.small().bundleDir();
    publish(source, root, V1, p -> false);
    try (RunningSystem system = new RunningSystem(root, "--reload-interval-seconds", "1")) {
      AtomicBoolean stop = new AtomicBoolean();
      AtomicInteger ok = new AtomicInteger();
      List<Throwable> failures = new ArrayList<>();
      Set<String> versions = ConcurrentHashMap.newKeySet();
      List<Thread> clients = new ArrayList<>();
      for (int c = 0; c < 4; c++) {
        clients.add(Thread.ofPlatform().start(() -> {
          while (!stop.get()) {
            try {
              RecommendResponse r = system.gatewayStub().recommend(RecommendRequest.newBuilder()
                  .setUserId(String.format("u%05d", 1 + ThreadLocalRandom.current().nextInt(300))).setK(10).build());
              if (r.getDegraded()) {
                throw new AssertionError("degraded: " + r.getDegradedReasonsList());
              }
              versions.add(r.getModelVersion());
              ok.incrementAndGet();
            } catch (Throwable t) {
              synchronized (failures) {
                failures.add(t);
              }
            }
          }
        }));
      }
      awaitRequests(ok, 20);
      publish(source, root, V2, p -> false);
      awaitStatus(system.retrieval, s -> s.getBundleVersion().equals(V2));
      awaitStatus(system.ranking, s -> s.getBundleVersion().equals(V2));
      awaitStatus(system.gateway, s -> s.getBundleVersion().equals(V2));
      int afterSwap = ok.get();
      awaitRequests(ok, afterSwap + 20);

      // a bundle without its ranker model or index cannot load: refused, V2 keeps serving
      publish(source, root, BROKEN, p -> p.startsWith("ranker") || p.startsWith("index"));
      awaitStatus(system.retrieval, s -> s.getCountersOrDefault("bundle.refused", 0) >= 1);
      awaitStatus(system.ranking, s -> s.getCountersOrDefault("bundle.refused", 0) >= 1);
      int afterRefusal = ok.get();
      awaitRequests(ok, afterRefusal + 20);
      stop.set(true);
      for (Thread t : clients) {
        t.join();
      }

      assertThat(failures).isEmpty();
      assertThat(versions).contains(V1, V2).doesNotContain(BROKEN);
      assertThat(status(system.ranking).getBundleVersion()).isEqualTo(V2);
      assertThat(status(system.retrieval).getCountersOrDefault("bundle.swaps", 0)).isEqualTo(1);
    }
  }

  /** Copies a bundle under a new version, like the exporter: into a hidden dir, then one rename. */
  static void publish(Path from, Path root, String version, Predicate<Path> leaveOut) throws IOException {
    Path staging = root.resolve("." + version + ".partial");
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path rel = from.relativize(p);
        if (leaveOut.test(rel)) {
          continue;
        }
        Path to = staging.resolve(rel.toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(to);
        } else {
          Files.copy(p, to);
        }
      }
    }
    ObjectMapper json = new ObjectMapper();
    Path manifest = staging.resolve(BundleLayout.MANIFEST);
    ObjectNode m = (ObjectNode) json.readTree(manifest.toFile());
    m.put("version", version);
    json.writeValue(manifest.toFile(), m);
    Files.move(staging, root.resolve(version));
  }

  private static void awaitRequests(AtomicInteger ok, int atLeast) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (ok.get() < atLeast && System.nanoTime() < end) {
      Thread.sleep(50);
    }
    assertThat(ok.get()).as("successful requests").isGreaterThanOrEqualTo(atLeast);
  }

  static void awaitStatus(RecsysServer server, Predicate<ServerStatus> condition) throws InterruptedException {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    ServerStatus s = status(server);
    while (!condition.test(s) && System.nanoTime() < end) {
      Thread.sleep(200);
      s = status(server);
    }
    assertThat(condition.test(s)).as("server status %s", s).isTrue();
  }

  private static ServerStatus status(RecsysServer server) {
    ManagedChannel ch = ManagedChannelBuilder.forAddress("localhost", server.port()).usePlaintext().build();
    try {
      return AdminServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
          .getStatus(GetStatusRequest.getDefaultInstance());
    } finally {
      ch.shutdownNow();
    }
  }
}
