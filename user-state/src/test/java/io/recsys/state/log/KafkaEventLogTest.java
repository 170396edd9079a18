package io.recsys.state.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.KafkaBrokerProcess;
import io.recsys.state.testing.Records;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract against a real single-node KRaft broker started by the test. */
class KafkaEventLogTest extends EventLogContract {

  static KafkaBrokerProcess kafka;
  private static int topics;
  private String topic;

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

  @BeforeEach
  void newTopic() {
    topic = "events-" + ++topics;
  }

  @Override
  protected EventLog open() throws IOException {
    return EventLogs.open(kafka.url(topic));
  }

  @Override
  protected EventLogReader reader() {
    return EventLogs.reader(kafka.url(topic));
  }

  @Test
  void recordsAreKeyedByUserSoEachUsersRecordsShareAPartition() throws Exception {
    try (EventLog log = open();
         var consumer = new org.apache.kafka.clients.consumer.KafkaConsumer<String, byte[]>(java.util.Map.of(
             "bootstrap.servers", kafka.bootstrap(), "group.id", "t", "auto.offset.reset", "earliest"),
             new org.apache.kafka.common.serialization.StringDeserializer(),
             new org.apache.kafka.common.serialization.ByteArrayDeserializer())) {
      for (int i = 0; i < 30; i++) {
        log.append(Records.feedback("user-" + (i % 3), "", Records.event("i" + i, EventType.VIEW, i))).get(ACK_SECONDS, TimeUnit.SECONDS);
      }
      consumer.subscribe(List.of(topic));
      java.util.Map<String, java.util.Set<Integer>> partitionsOfUser = new java.util.HashMap<>();
      int seen = 0;
      long deadline = System.currentTimeMillis() + 30_000;
      while (seen < 30 && System.currentTimeMillis() < deadline) {
        for (var r : consumer.poll(java.time.Duration.ofMillis(500))) {
          assertThat(EventRecord.parseFrom(r.value()).getUserId()).isEqualTo(r.key());
          partitionsOfUser.computeIfAbsent(r.key(), k -> new java.util.HashSet<>()).add(r.partition());
          seen++;
        }
      }
      assertThat(seen).isEqualTo(30);
      assertThat(partitionsOfUser).hasSize(3).allSatisfy((user, partitions) -> assertThat(partitions).hasSize(1));
    }
  }

  @Test
  void anEmptyOrMissingTopicReadsAsEmpty() throws Exception {
    List<EventRecord> out = new ArrayList<>();
    assertThat(EventLogs.reader(kafka.url("never-written")).readAll(out::add).records()).isZero();
  }

  @Test
  void badKafkaSpecsAreNamed() {
    assertThatThrownBy(() -> EventLogs.open("kafka://" + kafka.bootstrap())).hasMessageContaining("needs kafka://HOST:PORT/TOPIC");
    assertThatThrownBy(() -> EventLogs.open("kafka:" + kafka.bootstrap() + "/t")).hasMessageContaining("needs kafka://HOST:PORT");
  }
}
