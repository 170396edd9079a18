package io.recsys.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.common.util.concurrent.ListenableFuture;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A real server on a port: calls beyond the in-flight limit are refused at once, and the limit frees up. */
class InFlightLimitTest {

  /** Holds every call until released. */
  static final class HeldService extends RetrievalServiceGrpc.RetrievalServiceImplBase {
    final Semaphore entered = new Semaphore(0);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
      entered.release();
      try {
        release.await(10, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      out.onNext(RetrieveResponse.newBuilder().setSource(request.getSource()).build());
      out.onCompleted();
    }
  }

  @Test
  void callsBeyondTheLimitAreShedWithResourceExhaustedUntilOthersFinish() throws Exception {
    HeldService service = new HeldService();
    ServerCounters counters = new ServerCounters();
    try (RecsysServer server = RecsysServer.builder("test", 0).service(service).counters(counters)
        .maxInFlight(2).build().start()) {
      ManagedChannel channel = Grpc.newChannelBuilder("localhost:" + server.port(),
          InsecureChannelCredentials.create()).build();
      try {
        var async = RetrievalServiceGrpc.newFutureStub(channel);
        var blocking = RetrievalServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
        List<ListenableFuture<RetrieveResponse>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          held.add(async.retrieve(RetrieveRequest.newBuilder().setSource("held-" + i).build()));
        }
        assertThat(service.entered.tryAcquire(2, 5, TimeUnit.SECONDS)).isTrue();

        long start = System.nanoTime();
        assertThatThrownBy(() -> blocking.retrieve(RetrieveRequest.newBuilder().setSource("third").build()))
            .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
              assertThat(e.getStatus().getDescription()).contains("2 calls in progress");
            });
        // refused at once, not after waiting for a slot
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(2_000);
        // health still answers while the API sheds
        assertThat(HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.getDefaultInstance())
            .getStatus().name()).isEqualTo("SERVING");

        service.release.countDown();
        for (var f : held) {
          assertThat(f.get(5, TimeUnit.SECONDS).getSource()).startsWith("held-");
        }
        assertThat(blocking.retrieve(RetrieveRequest.newBuilder().setSource("after").build()).getSource())
            .isEqualTo("after");
        assertThat(counters.get("shed.Retrieve")).isEqualTo(1);
        assertThat(counters.get("errors.Retrieve.RESOURCE_EXHAUSTED")).isEqualTo(1);
      } finally {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      }
    }
  }
}
