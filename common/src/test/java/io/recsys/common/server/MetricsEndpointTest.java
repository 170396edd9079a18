package io.recsys.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.AdminServiceGrpc;
import io.recsys.api.v1.GetStatusRequest;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.metrics.ScrapedMetrics;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real server with its metrics port: real calls, then a real HTTP scrape. */
class MetricsEndpointTest {

  static final String DURATION = "grpc_server_call_duration_seconds";

  /** Answers source "bad" with INVALID_ARGUMENT, anything else with an empty list. */
  static final class EchoService extends RetrievalServiceGrpc.RetrievalServiceImplBase {
    @Override
    public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
      if (request.getSource().equals("bad")) {
        out.onError(Status.INVALID_ARGUMENT.withDescription("bad source").asRuntimeException());
        return;
      }
      out.onNext(RetrieveResponse.newBuilder().setSource(request.getSource()).build());
      out.onCompleted();
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Test
  void everyCallIsInTheLatencyHistogramWithItsStatusCodeAndTheAdminCountersAgree() throws Exception {
    int metricsPort = freePort();
    try (RecsysServer server = RecsysServer.builder("test", 0).service(new EchoService())
        .bundle(() -> new BundleInfo("v42", "/bundles/v42")).metricsPort(metricsPort).build().start()) {
      assertThat(server.metricsPort()).isEqualTo(metricsPort);
      ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        var stub = RetrievalServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        for (int i = 0; i < 5; i++) {
          stub.retrieve(RetrieveRequest.newBuilder().setSource("ok").build());
        }
        assertThatThrownBy(() -> stub.retrieve(RetrieveRequest.newBuilder().setSource("bad").build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class,
                e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT));

        ScrapedMetrics m = ScrapedMetrics.fetch("localhost", metricsPort);
        String[] ok = {"service", "recsys.v1.RetrievalService", "method", "Retrieve", "code", "OK"};
        assertThat(m.sum(DURATION + "_count", ok)).isEqualTo(5);
        assertThat(m.sum(DURATION + "_count", "method", "Retrieve", "code", "INVALID_ARGUMENT")).isEqualTo(1);
        // a real histogram: cumulative buckets up to +Inf, which holds every call
        assertThat(m.find(DURATION + "_bucket", ok)).hasSizeGreaterThan(10);
        assertThat(m.sum(DURATION + "_bucket", "method", "Retrieve", "code", "OK", "le", "+Inf")).isEqualTo(5);
        assertThat(m.sum(DURATION + "_sum", ok)).isPositive();
        assertThat(m.sum("recsys_bundle_info", "server", "test", "version", "v42")).isEqualTo(1);
        assertThat(m.has("jvm_memory_used_bytes")).isTrue();
        assertThat(m.has("jvm_threads_live_threads")).isTrue();

        // the admin API reads the same interceptor's counts
        var status = AdminServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
            .getStatus(GetStatusRequest.getDefaultInstance());
        assertThat(status.getCountersMap()).containsEntry("calls.Retrieve", 6L)
            .containsEntry("errors.Retrieve.INVALID_ARGUMENT", 1L);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
    // the endpoint closes with the server
    assertThatThrownBy(() -> ScrapedMetrics.fetch("localhost", metricsPort)).isInstanceOf(IOException.class);
  }

  @Test
  void aMetricsPortInUseLeavesTheServerServingWithoutMetrics() throws Exception {
    try (ServerSocket taken = new ServerSocket(0);
         RecsysServer server = RecsysServer.builder("test", 0).service(new EchoService())
             .metricsPort(taken.getLocalPort()).build().start()) {
      assertThat(server.metricsPort()).isEqualTo(-1);
      assertThat(server.port()).isPositive();
    }
  }

  @Test
  void portZeroMeansNoEndpoint() throws Exception {
    try (RecsysServer server = RecsysServer.builder("test", 0).service(new EchoService()).build().start()) {
      assertThat(server.metricsPort()).isEqualTo(-1);
    }
  }
}
