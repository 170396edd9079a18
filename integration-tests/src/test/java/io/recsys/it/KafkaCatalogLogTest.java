package io.recsys.it;

import static io.recsys.it.LiveCatalogTest.VISIBLE_WITHIN_MS;
import static io.recsys.it.LiveCatalogTest.userWithATaste;
import static io.recsys.it.LiveCatalogTest.waitUntil;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.CatalogItem;
import io.recsys.api.v1.DeleteItemsRequest;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.UpsertItemsRequest;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.common.catalog.CatalogLog;
import io.recsys.common.catalog.CatalogLogs;
import io.recsys.common.server.RecsysServer;
import io.recsys.models.testing.TestBundles;
import io.recsys.retrieval.RetrievalServerCommand;
import io.recsys.state.testing.KafkaBrokerProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The catalog log on a real Kafka broker, as pods that share no volume use it: the gateway
 * appends through CatalogService, and a second gateway and the retrieval server, which only share
 * the {@code kafka://} location, see the change; a retrieval server started later replays it.
 */
class KafkaCatalogLogTest {

  static KafkaBrokerProcess kafka;

  @BeforeAll
  static void startKafka() throws Exception {
    kafka = KafkaBrokerProcess.start();
  }

  @AfterAll
  static void stopKafka() throws Exception {
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  void anUpsertThroughOneGatewayReachesTheOtherServersWithinASecondAReplayAndADeleteReachesAll() throws Exception {
    try (LiveCatalogTest.LiveSystem s = new LiveCatalogTest.LiveSystem(kafka.url("catalog"))) {
      String url = kafka.url("catalog");
      RecsysServer gateway2 = s.system.startGateway("--catalog-log", url,
          "--event-log", "file:" + Files.createTempDirectory("recsys-it-events2"));
      ManagedChannel toGateway2 = ManagedChannelBuilder.forAddress("localhost", gateway2.port()).usePlaintext().build();
      RecsysServer retrieval2 = null;
      ManagedChannel toRetrieval2 = null;
      try {
        String user = userWithATaste(s.system);
        CatalogItem item = s.itemLikeTheBestFor(user, "live-kafka-1");

        long sequence = s.catalog().upsertItems(UpsertItemsRequest.newBuilder().addItems(item).build()).getLogSequence();
        assertThat(sequence).as("the sequence of the first record of the topic").isEqualTo(1);
        long upserted = System.nanoTime();
        waitUntil(() -> s.twoTowerCandidates(user, 2000).contains("live-kafka-1"), VISIBLE_WITHIN_MS);
        long atRetrieval = (System.nanoTime() - upserted) / 1_000_000;
        // served through the second gateway: retrieval and ranking have it, and that gateway knows it
        waitUntil(() -> recommendedIds(toGateway2, user).contains("live-kafka-1"), VISIBLE_WITHIN_MS);
        System.out.printf("over Kafka: live item among the retrieval server's candidates after %d ms,"
            + " in the second gateway's answer after %d ms%n", atRetrieval, (System.nanoTime() - upserted) / 1_000_000);

        // a retrieval server started now (a restarted pod) replays the topic before it serves
        RetrievalServerCommand command = new RetrievalServerCommand();
        new CommandLine(command).parseArgs("--port", "0", "--metrics-port", "0", "--catalog-log", url,
            "--bundle", TestBundles.small().bundleDir().toString());
        retrieval2 = command.start();
        toRetrieval2 = ManagedChannelBuilder.forAddress("localhost", retrieval2.port()).usePlaintext().build();
        assertThat(LiveCatalogTest.LiveSystem.candidates(toRetrieval2, "two_tower", user, 2000)).contains("live-kafka-1");

        s.catalog().deleteItems(DeleteItemsRequest.newBuilder().addItemIds("live-kafka-1").build());
        assertThat(s.recommendedIds(user, 200)).as("the gateway that took the delete").doesNotContain("live-kafka-1");
        ManagedChannel replayed = toRetrieval2;
        waitUntil(() -> !recommendedIds(toGateway2, user).contains("live-kafka-1")
            && !s.twoTowerCandidates(user, 2000).contains("live-kafka-1")
            && !LiveCatalogTest.LiveSystem.candidates(replayed, "two_tower", user, 2000).contains("live-kafka-1"),
            VISIBLE_WITHIN_MS);
      } finally {
        toGateway2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway2.close();
        if (toRetrieval2 != null) {
          toRetrieval2.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
          retrieval2.close();
        }
      }
    }
  }

  @Test
  void theTopicIsCreatedCompactedWithOnePartitionAndALogThatCannotKeepOneOrderIsRefusedSayingWhy() throws Exception {
    try (CatalogLog log = CatalogLogs.open(kafka.url("created"), Path.of("unused"));
         Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrap()))) {
      assertThat(log.append(List.of(CatalogRecord.newBuilder().setDeleteItemId("gone").build()), 7L)).isEqualTo(1);
      assertThat(log.read(0).records()).singleElement().satisfies(r -> {
        assertThat(r.getDeleteItemId()).isEqualTo("gone");
        assertThat(r.getSequence()).isEqualTo(1);
        assertThat(r.getLoggedAtMs()).isEqualTo(7);
      });
      assertThat(log.read(1).records()).isEmpty();
      ConfigResource topic = new ConfigResource(ConfigResource.Type.TOPIC, "created");
      assertThat(admin.describeConfigs(List.of(topic)).all().get().get(topic).get("cleanup.policy").value())
          .isEqualTo("compact");
      assertThat(admin.describeTopics(List.of("created")).allTopicNames().get().get("created").partitions()).hasSize(1);

      admin.createTopics(List.of(new NewTopic("three", 3, (short) 1))).all().get();
      assertThatThrownBy(() -> CatalogLogs.open(kafka.url("three"), Path.of("unused")))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("the topic has 3 partitions; the catalog log needs exactly 1");
    }
    assertThatThrownBy(() -> CatalogLogs.open("kafka://" + kafka.bootstrap(), Path.of("unused")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("needs kafka://HOST:PORT/TOPIC");
    assertThatThrownBy(() -> CatalogLogs.open("file:", Path.of("unused")))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("file: needs a directory");
  }

  private static List<String> recommendedIds(ManagedChannel gateway, String user) {
    return RecommenderServiceGrpc.newBlockingStub(gateway).withDeadlineAfter(20, TimeUnit.SECONDS)
        .recommend(RecommendRequest.newBuilder().setUserId(user).setK(200).build())
        .getItemsList().stream().map(RecommendedItem::getItemId).toList();
  }
}
