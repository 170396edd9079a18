package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.ServerStatus;
import io.recsys.common.server.RecsysServer;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What every server offers besides its own API: health, reflection, status. */
class ServerBasicsTest extends RunningSystemTest {

  @Test
  void everyServerIsHealthyReflectsItsApiAndReportsItsBundle() throws Exception {
    Map<RecsysServer, List<String>> expected = Map.of(
        system.retrieval, List.of("recsys.v1.RetrievalService"),
        system.ranking, List.of("recsys.v1.RankingService"),
        system.gateway, List.of("recsys.v1.RecommenderService"));
    String version = system.fixture.bundleDir().getFileName().toString();
    for (var e : expected.entrySet()) {
      ManagedChannel ch = ManagedChannelBuilder.forAddress("localhost", e.getKey().port()).usePlaintext().build();
      try {
        assertThat(HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.getDefaultInstance()).getStatus())
            .isEqualTo(ServingStatus.SERVING);
        assertThat(HealthGrpc.newBlockingStub(ch).check(HealthCheckRequest.newBuilder()
            .setService(e.getValue().get(0)).build()).getStatus()).isEqualTo(ServingStatus.SERVING);
        assertThat(listServices(ch)).contains(e.getValue().get(0), "recsys.v1.AdminService",
            "grpc.health.v1.Health");
        ServerStatus status = AdminServiceGrpc.newBlockingStub(ch).getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getBundleVersion()).isEqualTo(version);
        assertThat(status.getUptimeMs()).isGreaterThanOrEqualTo(0);
      } finally {
        ch.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }

  @Test
  void countersShowTheCallsThatWereMade() {
    ManagedChannel ch = ManagedChannelBuilder.forAddress("localhost", system.retrieval.port()).usePlaintext().build();
    try {
      assertThat(RetrievalServiceGrpc.newBlockingStub(ch).listSources(ListSourcesRequest.getDefaultInstance())
          .getSourcesList()).containsExactlyInAnyOrder("two_tower", "popular", "item2item", "cold_start", "sequence");
      system.gatewayStub().recommend(RecommendRequest.newBuilder().setUserId("counter-check").setK(3).build());
      ServerStatus status = AdminServiceGrpc.newBlockingStub(ch).getStatus(GetStatusRequest.getDefaultInstance());
      assertThat(status.getCountersMap().get("calls.ListSources")).isEqualTo(1L);
      assertThat(status.getCountersMap().get("calls.Retrieve")).isGreaterThanOrEqualTo(2L);
    } finally {
      ch.shutdownNow();
    }
  }

  private static List<String> listServices(ManagedChannel ch) throws Exception {
    CompletableFuture<List<String>> result = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(ch)
        .serverReflectionInfo(new StreamObserver<>() {
          @Override
          public void onNext(ServerReflectionResponse r) {
            result.complete(r.getListServicesResponse().getServiceList().stream()
                .map(ServiceResponse::getName).toList());
          }

          @Override
          public void onError(Throwable t) {
            result.completeExceptionally(t);
          }

          @Override
          public void onCompleted() {}
        });
    requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
    List<String> names = result.get(10, TimeUnit.SECONDS);
    requests.onCompleted();
    return names;
  }
}
