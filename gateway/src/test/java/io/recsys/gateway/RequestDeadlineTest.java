package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.gateway.pipeline.RequestDeadline;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RequestDeadlineTest {

  @Test
  void aStageGetsTheSoonerOfItsTimeoutAndTheClientsDeadline() {
    Deadline client = Deadline.after(50, TimeUnit.MILLISECONDS);
    assertThat(new RequestDeadline(client).forStage(500)).isEqualTo(client);
    assertThat(new RequestDeadline(client).forStage(5).isBefore(client)).isTrue();
    assertThat(new RequestDeadline(null).forStage(500).timeRemaining(TimeUnit.MILLISECONDS)).isBetween(400L, 500L);
  }

  @Test
  void aPassedDeadlineStopsTheRequest() {
    new RequestDeadline(null).check("scoring");
    new RequestDeadline(Deadline.after(1, TimeUnit.MINUTES)).check("scoring");
    assertThatThrownBy(() -> new RequestDeadline(Deadline.after(-1, TimeUnit.MILLISECONDS)).check("scoring"))
        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
          assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.DEADLINE_EXCEEDED);
          assertThat(e.getStatus().getDescription()).contains("before scoring");
        });
  }
}
