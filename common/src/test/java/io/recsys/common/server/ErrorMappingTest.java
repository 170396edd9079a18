package io.recsys.common.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A real server on a port: every way a handler can fail becomes the right status, and only bugs are logged. */
class ErrorMappingTest {

  /** Fails as the request's source says. */
  static final class FailingService extends RetrievalServiceGrpc.RetrievalServiceImplBase {
    @Override
    public void retrieve(RetrieveRequest request, StreamObserver<RetrieveResponse> out) {
      switch (request.getSource()) {
        case "throw-bug" -> throw new IllegalStateException("a bug in the handler");
        case "error-bug" -> out.onError(new ArithmeticException("a bug passed to onError"));
        case "throw-status" -> throw Status.NOT_FOUND.withDescription("no such source").asRuntimeException();
        case "error-rejected" -> out.onError(new RejectedExecutionException("the executor is closed"));
        default -> {
          out.onNext(RetrieveResponse.newBuilder().setSource(request.getSource()).build());
          out.onCompleted();
        }
      }
    }
  }

  private final ServerCounters counters = new ServerCounters();
  private final ByteArrayOutputStream logged = new ByteArrayOutputStream();
  private PrintStream stderr;
  private RecsysServer server;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    server = RecsysServer.builder("test", 0).service(new FailingService()).counters(counters).build().start();
    channel = Grpc.newChannelBuilder("localhost:" + server.port(), InsecureChannelCredentials.create()).build();
    // slf4j-simple writes to whatever System.err is at the time of each line
    stderr = System.err;
    System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void stop() throws Exception {
    System.setErr(stderr);
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.close();
  }

  private Status call(String source) {
    var stub = RetrievalServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS);
    try {
      stub.retrieve(RetrieveRequest.newBuilder().setSource(source).build());
      return Status.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus();
    }
  }

  private String log() {
    return logged.toString(StandardCharsets.UTF_8);
  }

  @Test
  void anExceptionThrownByTheHandlerIsInternalAndLoggedOnceWithTheMethod() {
    Status s = call("throw-bug");
    assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(s.getDescription()).contains("IllegalStateException");
    assertThat(log()).contains("recsys.v1.RetrievalService/Retrieve failed")
        .contains("a bug in the handler");
    assertThat(log().split("RetrievalService/Retrieve failed", -1)).hasSize(2);
    assertThat(counters.get("errors.Retrieve.INTERNAL")).isEqualTo(1);
  }

  @Test
  void anExceptionPassedToOnErrorIsInternalNotUnknown() {
    Status s = call("error-bug");
    assertThat(s.getCode()).isEqualTo(Status.Code.INTERNAL);
    assertThat(log()).contains("recsys.v1.RetrievalService/Retrieve failed").contains("ArithmeticException");
  }

  @Test
  void knownFailuresKeepTheirStatusAndAreNotLogged() {
    assertThat(call("throw-status").getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(call("error-rejected").getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(call("fine").isOk()).isTrue();
    assertThat(log()).doesNotContain("failed");
    assertThat(counters.get("errors.Retrieve.NOT_FOUND")).isEqualTo(1);
  }

  @Test
  void aWrappedFailureIsMappedByItsCause() {
    assertThat(ErrorMapping.statusOf(new java.util.concurrent.CompletionException(
        Status.PERMISSION_DENIED.asRuntimeException())).getCode()).isEqualTo(Status.Code.PERMISSION_DENIED);
    assertThatThrownBy(() -> { throw new java.util.concurrent.CancellationException(); })
        .satisfies(e -> assertThat(ErrorMapping.statusOf(e).getCode()).isEqualTo(Status.Code.CANCELLED));
  }
}
