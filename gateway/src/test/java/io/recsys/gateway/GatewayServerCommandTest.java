package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.ServerStatus;
import io.recsys.common.server.RecsysServer;
import io.recsys.gateway.testing.FakeRanking;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.TestBundle;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The command as a container runs it: real sockets, flags, a dns:/// target, admin status. */
class GatewayServerCommandTest {

  @TempDir
  Path dir;

  @Test
  void servesOverTcpWithTheGivenFlags() throws Exception {
    Server retrieval = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new FakeRetrieval().answer("two_tower", List.of("i03", "i04")).answer("popular", List.of("i00")))
        .build().start();
    Server ranking = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(new FakeRanking()).build().start();
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs("--port", "0", "--bundle", TestBundle.write(dir).toString(),
        "--retrieval", "localhost:" + retrieval.getPort(),
        "--ranking", "dns:///localhost:" + ranking.getPort(),
        "--two-tower-k", "50", "--popular-k", "20", "--event-log", "file:" + dir.resolve("events"));
    ManagedChannel channel = null;
    try (RecsysServer gateway = command.start()) {
      channel = Grpc.newChannelBuilder("localhost:" + gateway.port(), InsecureChannelCredentials.create()).build();
      RecommendResponse r = RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
          .recommend(RecommendRequest.newBuilder().setUserId("u").setK(3).build());
      assertThat(r.getItemsList()).extracting(i -> i.getItemId()).containsExactly("i04", "i03", "i00");
      assertThat(r.getDegraded()).isFalse();

      ServerStatus status = AdminServiceGrpc.newBlockingStub(channel).getStatus(GetStatusRequest.getDefaultInstance());
      assertThat(status.getServer()).isEqualTo("gateway");
      assertThat(status.getBundleVersion()).isEqualTo(TestBundle.VERSION);
      assertThat(status.getCountersMap()).containsEntry("calls.Recommend", 1L)
          .containsEntry("stage.scorer:ranking.calls", 1L);
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      retrieval.shutdownNow();
      ranking.shutdownNow();
    }
  }

  @Test
  void defaultsMatchTheDocumentedOnes() {
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs();
    assertThat(command.port).isEqualTo(50050);
    assertThat(command.bundle.path).isEqualTo(Path.of("bundles"));
    assertThat(command.bundle.reloadIntervalSeconds).isEqualTo(30);
    assertThat(command.retrieval).isEqualTo("localhost:50051");
    assertThat(command.ranking).isEqualTo("localhost:50052");
    GatewaySettings defaults = GatewaySettings.defaults();
    assertThat(new GatewaySettings(command.twoTowerK, command.popularK, command.item2itemK, command.sourceTimeoutMs,
        command.rankingTimeoutMs, command.maxPerCategoryFraction, command.historySize, command.historyMaxUsers,
        command.experimentArms))
        .isEqualTo(defaults);
  }

  @Test
  void aBadFlagFailsBeforeAnythingStarts() throws Exception {
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs("--bundle", TestBundle.write(dir).toString(),
        "--max-per-category-fraction", "0");
    assertThatThrownBy(command::start).isInstanceOf(CommandLine.ParameterException.class)
        .hasMessageContaining("--max-per-category-fraction must be in (0, 1]");
  }
}
