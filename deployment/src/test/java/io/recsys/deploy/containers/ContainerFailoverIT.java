package io.recsys.deploy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RecommenderServiceGrpc.RecommenderServiceBlockingStub;
import io.recsys.common.metrics.ScrapedMetrics;
import io.recsys.models.testing.TestBundles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.lifecycle.Startables;

/**
 * The deployment's scale-out as a cluster runs it, in containers from the shipped images: two
 * gateways, two ranking replicas behind one DNS name (as a headless Service), retrieval. A ranking
 * replica killed with SIGKILL under load costs no call (the gateways' service config retries Rank on
 * UNAVAILABLE, round robin sends it to the other replica); a third replica started later gets
 * traffic once the connections it was not part of reach maxConnectionAge and the gateways resolve
 * the name again. The ranking replicas' metrics endpoints show each step.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerFailoverIT {

  private static final int GATEWAY_PORT = 50050;
  private static final int RANKING_METRICS_PORT = 9092;
  private static final String RANK_CALLS = "grpc_server_call_duration_seconds_count";
  /** Short here so the test waits seconds, not the servers' default 30 s. */
  private static final int MAX_CONNECTION_AGE_S = 4;
  private static final int MAX_CONNECTION_AGE_GRACE_S = 2;
  /** The gateways' DNS cache: grpc-java re-resolves a name at most this often (its default is 30 s). */
  private static final int DNS_TTL_S = 1;

  private static TestBundles.Fixture fixture;

  @AfterAll
  static void cleanUp() {
    DockerSandbox.removeLeftovers();
    if (fixture != null) {
      RecsysImages.remove(RecsysImages.bundle(fixture.bundleDir()));
    }
  }

  @Test
  void aKilledRankingReplicaCostsNoCallAndANewReplicaGetsTrafficWithinMaxConnectionAge() throws Exception {
    long t0 = System.nanoTime();
    fixture = TestBundles.small();
    RecsysImages.build(fixture.bundleDir());
    long t1 = System.nanoTime();
    Map<String, String> backend = Map.of(
        "RECSYS_MAX_CONNECTION_AGE_SECONDS", Integer.toString(MAX_CONNECTION_AGE_S),
        "RECSYS_MAX_CONNECTION_AGE_GRACE_SECONDS", Integer.toString(MAX_CONNECTION_AGE_GRACE_S));
    Map<String, String> gateway = Map.of(
        // generous deadlines: the first calls of cold JVMs on a shared 2-core machine are slow
        "RECSYS_SOURCE_TIMEOUT_MS", "2000", "RECSYS_RANKING_TIMEOUT_MS", "2000",
        "JDK_JAVA_OPTIONS", "-Dnetworkaddress.cache.ttl=" + DNS_TTL_S + " -Dsun.net.inetaddr.ttl=" + DNS_TTL_S);
    List<ManagedChannel> channels = new ArrayList<>();
    try (DockerSandbox sandbox = new DockerSandbox(fixture.bundleDir())) {
      GenericContainer<?> retrieval = sandbox.server("retrieval", "retrieval", "retrieval", backend);
      GenericContainer<?> ranking1 = ranking(sandbox, "ranking-1", backend);
      GenericContainer<?> ranking2 = ranking(sandbox, "ranking-2", backend);
      Startables.deepStart(retrieval, ranking1, ranking2).join();
      List<GenericContainer<?>> gateways = List.of(
          sandbox.server("gateway", "gateway-1", "gateway", gateway).withExposedPorts(GATEWAY_PORT),
          sandbox.server("gateway", "gateway-2", "gateway", gateway).withExposedPorts(GATEWAY_PORT));
      Startables.deepStart(gateways).join();
      long t2 = System.nanoTime();

      List<String> users = fixture.dataset().userIds().subList(0, 40);
      List<RequestFlow> flows = new ArrayList<>();
      for (GenericContainer<?> g : gateways) {
        ManagedChannel ch = ManagedChannelBuilder.forAddress(g.getHost(), g.getMappedPort(GATEWAY_PORT)).usePlaintext().build();
        channels.add(ch);
        flows.add(new RequestFlow(() -> stub(ch), users, 10, Duration.ofMinutes(3)));
      }
      try {
        for (RequestFlow f : flows) {
          f.awaitAnswer(r -> !r.getDegraded(), Duration.ofSeconds(60));
        }
        // warm: from here on no call may fail and no answer may come without the ranker
        int answeredBefore = answered(flows);
        List<Integer> degradedBefore = flows.stream().map(f -> f.degraded().size()).toList();
        awaitRankCalls(ranking1, 1, Duration.ofSeconds(30));
        awaitRankCalls(ranking2, 1, Duration.ofSeconds(30));

        sandbox.kill(ranking1);
        long killed = System.nanoTime();
        double ranking2AtKill = rankCalls(ranking2);
        Thread.sleep(3_000);
        assertThat(rankCalls(ranking2)).as("ranking-2 takes ranking-1's calls").isGreaterThan(ranking2AtKill);

        GenericContainer<?> ranking3 = ranking(sandbox, "ranking-3", backend);
        ranking3.start();
        long listening = System.nanoTime();
        double firstCalls = awaitRankCalls(ranking3, 1, Duration.ofSeconds(60));
        double joinedS = (System.nanoTime() - listening) / 1e9;
        // the gateways' connections to ranking-2 close within maxConnectionAge + grace (+10% jitter),
        // then the name is resolved again, at most every DNS_TTL_S; 10 s for a cold replica's first
        // calls and the metrics scrape on a busy 2-core machine (5 s was overrun by 0.25 s once).
        // Without maxConnectionAge the gateways would never leave ranking-2: awaitRankCalls' 60 s fail.
        assertThat(joinedS).as("seconds until ranking-3 got calls")
            .isLessThanOrEqualTo(1.1 * MAX_CONNECTION_AGE_S + MAX_CONNECTION_AGE_GRACE_S + DNS_TTL_S + 10);
        Thread.sleep(2_000);

        for (RequestFlow f : flows) {
          f.close();
        }
        int answered = answered(flows) - answeredBefore;
        System.out.printf("cluster: bundle + images %.0f s, 5 containers up %.0f s; ranking-1 killed, then %d answers"
                + " (%.0f s), 0 failed; Rank calls: ranking-2 %.0f, ranking-3 %.0f (first after %.1f s)%n",
            (t1 - t0) / 1e9, (t2 - t1) / 1e9, answered, (System.nanoTime() - killed) / 1e9,
            rankCalls(ranking2), rankCalls(ranking3), joinedS);
        assertThat(answered).as("answers after the kill").isGreaterThan(20);
        for (int i = 0; i < flows.size(); i++) {
          RequestFlow f = flows.get(i);
          assertThat(f.failures()).as("failed calls through gateway-%d", i + 1).isEmpty();
          assertThat(f.degraded().subList(degradedBefore.get(i), f.degraded().size()))
              .as("answers through gateway-%d without the ranker", i + 1).isEmpty();
        }
        assertThat(firstCalls).isPositive();
      } finally {
        flows.forEach(RequestFlow::close);
      }
    } finally {
      for (ManagedChannel ch : channels) {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  private static GenericContainer<?> ranking(DockerSandbox sandbox, String name, Map<String, String> env) {
    // one DNS name, several addresses: what the headless Service "ranking" gives the gateways
    return sandbox.server("ranking", name, "ranking", env).withExposedPorts(50052, RANKING_METRICS_PORT);
  }

  private static RecommenderServiceBlockingStub stub(ManagedChannel ch) {
    return RecommenderServiceGrpc.newBlockingStub(ch).withDeadlineAfter(15, TimeUnit.SECONDS);
  }

  private static int answered(List<RequestFlow> flows) {
    return flows.stream().mapToInt(RequestFlow::answered).sum();
  }

  /** Rank calls the replica answered OK, from its Prometheus endpoint. */
  private static double rankCalls(GenericContainer<?> ranking) throws Exception {
    return ScrapedMetrics.fetch(ranking.getHost(), ranking.getMappedPort(RANKING_METRICS_PORT))
        .sum(RANK_CALLS, "method", "Rank", "code", "OK");
  }

  private static double awaitRankCalls(GenericContainer<?> ranking, double atLeast, Duration timeout) throws Exception {
    long end = System.nanoTime() + timeout.toNanos();
    double calls = rankCalls(ranking);
    while (calls < atLeast && System.nanoTime() < end) {
      Thread.sleep(200);
      calls = rankCalls(ranking);
    }
    assertThat(calls).as("Rank calls of %s within %s", ranking.getContainerName(), timeout).isGreaterThanOrEqualTo(atLeast);
    return calls;
  }
}
