package io.recsys.ranking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.RankCandidate;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.RankResponse;
import io.recsys.api.v1.RankingServiceGrpc;
import io.recsys.api.v1.ServerStatus;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.server.RecsysServer;
import io.recsys.models.testing.TestBundles;
import io.recsys.ranking.bundle.RankingBundle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The server as its command starts it: real port, the bundle root, admin status; bundle refusal. */
class RankingServerCommandTest {

  @Test
  void servesRankOverTheNetworkAndReportsBundleAndBatcher() throws Exception {
    TestBundles.Fixture fixture = TestBundles.small();
    RankingServerCommand cmd = new RankingServerCommand();
    // the root of versioned bundles: the server picks the newest
    new CommandLine(cmd).parseArgs("--port", "0", "--bundle", fixture.bundleDir().getParent().toString(),
        "--max-queue-delay-micros", "200");
    try (RecsysServer server = cmd.start()) {
      ManagedChannel ch = Grpc.newChannelBuilderForAddress("localhost", server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        RankRequest.Builder req = RankRequest.newBuilder().setUserId(fixture.dataset().userIds().get(0));
        for (int i = 0; i < 40; i++) {
          req.addCandidates(RankCandidate.newBuilder().setItemId(fixture.dataset().items().id(i)));
        }
        RankResponse r = RankingServiceGrpc.newBlockingStub(ch).withDeadlineAfter(10, TimeUnit.SECONDS)
            .rank(req.build());
        assertThat(r.getItemsCount()).isEqualTo(40);

        ServerStatus status = AdminServiceGrpc.newBlockingStub(ch).getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getServer()).isEqualTo("ranking");
        assertThat(status.getBundleVersion()).isEqualTo(r.getModelVersion());
        assertThat(status.getCountersMap())
            .containsEntry("calls.Rank", 1L)
            .containsEntry("batcher.batches", 1L)
            .containsEntry("batcher.rows", 40L);
      } finally {
        ch.shutdownNow();
      }
    }
  }

  @Test
  void refusesABundleTrainedOnOtherRankerFeatures(@TempDir Path tmp) throws IOException {
    Path copy = tmp.resolve("v-other");
    copyTree(TestBundles.small().bundleDir(), copy);
    Path manifestFile = new BundleLayout(copy).manifest();
    Manifest m = Manifest.read(manifestFile);
    List<String> dense = new ArrayList<>(RankerFeatures.DENSE);
    dense.set(3, "log_popularity_v0");
    new Manifest(m.formatVersion(), m.version(), m.createdAt(), m.dataset(), m.items(), m.users(),
        m.categories(), m.embeddingDim(), m.historyLength(), m.userTower(), m.itemTower(), m.ranker(),
        new Manifest.RankerFeatureSpec(RankerFeatures.SPARSE, dense), m.metrics(), m.checksums())
        .write(manifestFile);

    assertThatThrownBy(() -> RankingBundle.load(copy))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("trained on other ranker features")
        .hasMessageContaining("log_popularity_v0");
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else {
          Files.copy(p, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }
}
