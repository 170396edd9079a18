package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.InsecureServerCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
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

/** Over its in-flight limit the gateway refuses at once, before it calls retrieval or ranking. */
class GatewayShedsLoadTest {

  @TempDir
  Path dir;

  @Test
  void aRecommendBeyondTheLimitIsRefusedWithoutCallingTheBackends() throws Exception {
    FakeRetrieval retrievalService = new FakeRetrieval().answer("two_tower", List.of("i03")).answer("popular", List.of("i00"));
    FakeRanking rankingService = new FakeRanking();
    Server retrieval = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(retrievalService).build().start();
    Server ranking = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
        .addService(rankingService).build().start();
    GatewayServerCommand command = new GatewayServerCommand();
    new CommandLine(command).parseArgs("--port", "0", "--bundle", TestBundle.write(dir).toString(),
        "--retrieval", "localhost:" + retrieval.getPort(), "--ranking", "localhost:" + ranking.getPort(),
        "--event-log", "file:" + dir.resolve("events"), "--metrics-port", "0", "--max-in-flight", "1",
        "--source-timeout-ms", "3000", "--ranking-timeout-ms", "3000");
    ManagedChannel channel = null;
    try (RecsysServer gateway = command.start()) {
      channel = Grpc.newChannelBuilder("localhost:" + gateway.port(), InsecureChannelCredentials.create()).build();
      var async = RecommenderServiceGrpc.newFutureStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      var blocking = RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
      // the one call allowed is held in ranking
      rankingService.delay(1_500);
      int rankCalls = rankingService.requests.size();
      var held = async.recommend(RecommendRequest.newBuilder().setUserId("first").setK(1).build());
      long waitUntil = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
      while (rankingService.requests.size() == rankCalls && System.nanoTime() < waitUntil) {
        Thread.sleep(10);
      }
      int retrieveCalls = retrievalService.requests.size();
      rankCalls = rankingService.requests.size();

      assertThatThrownBy(() -> blocking.recommend(RecommendRequest.newBuilder().setUserId("second").setK(1).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
      assertThat(retrievalService.requests).hasSize(retrieveCalls);
      assertThat(rankingService.requests).hasSize(rankCalls);

      RecommendResponse first = held.get(10, TimeUnit.SECONDS);
      assertThat(first.getItemsCount()).isEqualTo(1);
    } finally {
      if (channel != null) {
        channel.shutdownNow();
      }
      retrieval.shutdownNow();
      ranking.shutdownNow();
    }
  }
}
