package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.cli.online.TrainingFeedback;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.models.testing.TestBundles;
import io.recsys.models.train.ModelTrainer;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.TwoTowerConfig;
import io.recsys.state.log.EventLogs;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feedback -> event log -> retrain (what {@code bin/recsys train --event-log} does) -> new bundle ->
 * rolled out to the running servers: a user the first bundle never saw is a known user of the next.
 */
class FeedbackRetrainLoopTest {

  static final String V1 = "20260101-000000";

  @Test
  void aBundleTrainedFromLoggedFeedbackIsPickedUpByTheRunningServers(@TempDir Path root) throws Exception {
    TestBundles.Fixture fixture = TestBundles.small();
    BundleRolloutTest.publish(fixture.bundleDir(), root, V1, p -> false);
    String newcomer = "newcomer-1";
    try (RunningSystem system = new RunningSystem(root, "--reload-interval-seconds", "1")) {
      RecommendResponse first = system.gatewayStub().recommend(RecommendRequest.newBuilder()
          .setUserId(newcomer).setK(10).build());
      FeedbackRequest.Builder fb = FeedbackRequest.newBuilder().setUserId(newcomer).setRequestId(first.getRequestId());
      for (int i = 0; i < 5; i++) {
        fb.addEvents(Event.newBuilder().setItemId(first.getItems(i).getItemId()).setType(EventType.PURCHASE));
      }
      system.gatewayStub().feedback(fb.build());

      TrainingFeedback.Merged merged = TrainingFeedback.append(fixture.dataset(),
          EventLogs.reader("file:" + system.eventLog));
      assertThat(merged.added()).isEqualTo(5);
      assertThat(merged.newUsers()).isEqualTo(1);
      ModelTrainer trainer = new ModelTrainer(TwoTowerConfig.defaults().withEpochs(2),
          RankerConfig.defaults().withEpochs(1), System.out::println);
      BundleLayout v2 = trainer.trainAndExport(merged.dataset(), root).bundle();
      String version = v2.dir().getFileName().toString();
      assertThat(Files.readString(v2.users())).contains(newcomer);

      BundleRolloutTest.awaitStatus(system.retrieval, s -> s.getBundleVersion().equals(version));
      BundleRolloutTest.awaitStatus(system.ranking, s -> s.getBundleVersion().equals(version));
      BundleRolloutTest.awaitStatus(system.gateway, s -> s.getBundleVersion().equals(version));
      RecommendResponse after = system.gatewayStub().recommend(RecommendRequest.newBuilder()
          .setUserId(newcomer).setK(10).build());
      assertThat(after.getModelVersion()).isEqualTo(version);
      assertThat(after.getDegraded()).isFalse();
      // the rebuilt history still holds the purchases: none is recommended again
      assertThat(after.getItemsList()).extracting(i -> i.getItemId())
          .doesNotContainAnyElementsOf(first.getItemsList().subList(0, 5).stream().map(i -> i.getItemId()).toList());
    }
  }
}
