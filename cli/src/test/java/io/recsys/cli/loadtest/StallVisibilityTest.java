package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Why the harness measures open loop from the intended send time: the same 300 ms server stall
 * fills the p99 of an open-loop run, while a closed-loop run hides it in a couple of samples
 * (its clients simply wait, so few requests are "sent" during the stall).
 */
class StallVisibilityTest {

  private static final long STALL_MS = 300;
  private static final double RUN_S = 1.5;

  private static TrafficMix mix() {
    return new TrafficMix(TrafficIds.synthetic(50, 50), 0.1, 0.2, 0, 0.05, List.of(10, 20));
  }

  @Test
  void openLoopShowsTheStallInP99() throws Exception {
    try (StallingRecommender server = new StallingRecommender(300, STALL_MS);
         GatewayChannels channels = new GatewayChannels(server.target(), 2, 5000)) {
      StepResult r = new OpenLoopDriver(channels, mix(), 1, 10_000, 5000)
          .run("open", 400, RUN_S, Long.MAX_VALUE, new LatencyRecorder());

      assertThat(r.requests()).isEqualTo(600);
      assertThat(r.errors()).isEmpty();
      // ~120 of 600 calls were due during the stall, waiting up to 300 ms each from their intended time
      assertThat(r.latencyMs().p99()).isGreaterThan(200);
      assertThat(r.latencyMs().p50()).isLessThan(50);
      assertThat(r.feedback()).isPositive();
      assertThat(r.degraded()).isPositive(); // the test server marks unknown users' answers degraded
    }
  }

  @Test
  void openLoopStopsSendingPastItsInFlightBoundAndCountsWhatItDidNotSend() throws Exception {
    try (StallingRecommender server = new StallingRecommender(200, STALL_MS);
         GatewayChannels channels = new GatewayChannels(server.target(), 1, 5000)) {
      StepResult r = new OpenLoopDriver(channels, mix(), 1, 20, 5000)
          .run("open", 400, 1.0, Long.MAX_VALUE, new LatencyRecorder());

      // ~120 calls are due during the stall; 20 may wait in flight, the rest are not sent
      assertThat(server.maxPending()).isLessThanOrEqualTo(20);
      assertThat(r.requests()).isEqualTo(400);
      assertThat(r.errors()).containsOnlyKeys(CallOutcome.CLIENT_BACKLOG);
      assertThat(r.errors().get(CallOutcome.CLIENT_BACKLOG)).isGreaterThanOrEqualTo(80);
    }
  }

  @Test
  void closedLoopHidesTheSameStallBehindItsWaitingClients() throws Exception {
    try (StallingRecommender server = new StallingRecommender(300, STALL_MS);
         GatewayChannels channels = new GatewayChannels(server.target(), 2, 5000)) {
      StepResult r = new ClosedLoopDriver(channels, mix(), 1)
          .run("closed", 2, RUN_S, Long.MAX_VALUE, new LatencyRecorder());

      assertThat(r.errors()).isEmpty();
      assertThat(r.latencyMs().max()).as("each client sat through the stall once").isGreaterThan(200);
      assertThat(r.latencyMs().p99()).as("but only 2 samples show it").isLessThan(100);
      assertThat(r.requests()).isGreaterThan(300);
    }
  }
}
