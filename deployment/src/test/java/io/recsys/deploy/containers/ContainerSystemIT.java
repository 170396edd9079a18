package io.recsys.deploy.containers;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.models.data.Dataset;
import io.recsys.models.testing.TestBundles;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The images as they ship: built by deployment/images/build.sh, run as three containers on one
 * Docker network with a small trained bundle, called through the generated gRPC stub. Skipped
 * where no Docker engine runs.
 */
@Testcontainers(disabledWithoutDocker = true)
class ContainerSystemIT {

  static final int K = 10;
  static TestBundles.Fixture fixture;
  static ContainerCluster cluster;
  /** Users with a clear synthetic taste and enough history to show it. */
  static List<String> tasteful;

  @BeforeAll
  static void start() throws Exception {
    long t0 = System.nanoTime();
    fixture = TestBundles.small();
    long t1 = System.nanoTime();
    RecsysImages.build(fixture.bundleDir());
    long t2 = System.nanoTime();
    cluster = new ContainerCluster(fixture.bundleDir());
    awaitRankedAnswers();
    System.out.printf("bundle %.0f s, images %.0f s, containers up %.0f s%n",
        (t1 - t0) / 1e9, (t2 - t1) / 1e9, (System.nanoTime() - t2) / 1e9);
    Dataset ds = fixture.dataset();
    tasteful = new ArrayList<>();
    for (int u = 0; u < ds.users() && tasteful.size() < 40; u++) {
      String user = ds.userIds().get(u);
      if (fixture.truth().liked(user).size() >= 2 && ds.histories().get(u).size() >= 10) {
        tasteful.add(user);
      }
    }
  }

  /** The system is up when the gateway answers with both sources and the ranker. */
  private static void awaitRankedAnswers() throws InterruptedException {
    RecommendRequest req = RecommendRequest.newBuilder().setUserId(fixture.dataset().userIds().get(0)).setK(K).build();
    long end = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    RecommendResponse r = cluster.gatewayStub().recommend(req);
    while (r.getDegraded() && System.nanoTime() < end) {
      Thread.sleep(250);
      r = cluster.gatewayStub().recommend(req);
    }
    assertThat(r.getDegradedReasonsList()).as("answers of the started system").isEmpty();
  }

  @AfterAll
  static void stop() {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      DockerSandbox.removeLeftovers();
      if (fixture != null) {
        RecsysImages.remove(RecsysImages.bundle(fixture.bundleDir()));
      }
    }
  }

  @Test
  void usersWithAClearTasteGetItemsFromTheirTaste() {
    double share = 0;
    for (String user : tasteful) {
      RecommendResponse r = cluster.gatewayStub().recommend(RecommendRequest.newBuilder().setUserId(user).setK(K).build());
      assertThat(r.getItemsList()).hasSize(K);
      assertThat(r.getDegraded()).as("ranker and both sources answered: %s", r.getDegradedReasonsList()).isFalse();
      assertThat(r.getModelVersion()).isEqualTo(fixture.bundleDir().getFileName().toString());
      Set<String> liked = fixture.truth().liked(user);
      share += r.getItemsList().stream().map(RecommendedItem::getCategory).filter(liked::contains).count() / (double) K;
    }
    share /= tasteful.size();
    System.out.printf("containers: share of top %d in the user's liked categories %.3f (%d users)%n", K, share, tasteful.size());
    assertThat(tasteful).hasSizeGreaterThanOrEqualTo(20);
    // the liked categories hold ~2/12 of the catalog: random picks land near 0.17
    assertThat(share).isGreaterThanOrEqualTo(0.6);
  }

  @Test
  void withoutTheRankerTheGatewayAnswersDegradedAndRankedAgainWhenItIsBack() throws Exception {
    survivesTheLossOf("ranking", cluster.ranking, "scorer");
  }

  @Test
  void withoutRetrievalTheGatewayAnswersFromItsLocalPopularSourceAndRecoversWhenItIsBack() throws Exception {
    survivesTheLossOf("retrieval", cluster.retrieval, "no remote candidate source answered");
  }

  /** Stops a backend while requests flow: every call still answers k items, marked degraded; then ranked again. */
  private static void survivesTheLossOf(String name, GenericContainer<?> backend, String reason) throws Exception {
    try (RequestFlow flow = new RequestFlow(cluster::gatewayStub, tasteful, K, Duration.ofMinutes(3))) {
      flow.awaitAnswer(r -> !r.getDegraded(), Duration.ofSeconds(60));
      long stop = System.nanoTime();
      cluster.stop(backend);
      RecommendResponse degraded = flow.awaitAnswer(RecommendResponse::getDegraded, Duration.ofSeconds(30));
      assertThat(degraded.getDegradedReasonsList()).anySatisfy(s -> assertThat(s).contains(reason));
      assertThat(degraded.getItemsList()).hasSize(K);
      int answeredWhileDown = flow.answered();
      cluster.restart(backend);
      flow.awaitAnswer(r -> !r.getDegraded(), Duration.ofSeconds(120));
      System.out.printf("%s down and back: %d answers meanwhile, whole cycle %.0f s%n",
          name, flow.answered() - answeredWhileDown, (System.nanoTime() - stop) / 1e9);
      assertThat(flow.failures()).as("calls that failed instead of degrading").isEmpty();
    }
  }
}
