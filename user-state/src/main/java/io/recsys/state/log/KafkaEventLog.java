package io.recsys.state.log;

import io.recsys.api.v1.EventRecord;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event log as an Apache Kafka topic, shared by every gateway: one message per record, keyed by
 * user id (a user's records stay in one partition, in order), the value a serialized
 * {@link EventRecord}. The producer is idempotent with {@code acks=all}: an append completes when
 * every in-sync replica has the record, and retries never duplicate it. Concurrent appends share
 * produce requests (the producer's batching). The topic is created at start when it is missing.
 */
public final class KafkaEventLog implements EventLog {

  private static final Logger log = LoggerFactory.getLogger(KafkaEventLog.class);

  static final int PARTITIONS = 6;
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private final String bootstrap;
  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private volatile boolean closed;

  private KafkaEventLog(String bootstrap, String topic) throws IOException {
    this.bootstrap = bootstrap;
    this.topic = topic;
    ensureTopic(bootstrap, topic);
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    p.put(ProducerConfig.ACKS_CONFIG, "all");
    p.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    p.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    // request and delivery timeouts stay at Kafka's defaults (30 s, 2 min): shorter ones expire
    // batches of a slow broker, and the idempotent producer then has to reset its sequences.
    // One produce request in flight: with more, a first batch refused (NOT_LEADER_OR_FOLLOWER, seen
    // on fresh partitions) let later batches overtake it and kafka-clients 4.3 retried them as
    // OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout. Each request still carries every
    // partition's ready batch, so concurrent appends keep sharing requests.
    p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
    p.put(ProducerConfig.CLIENT_ID_CONFIG, "recsys-event-log");
    this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());
    // the producer learns the partitions' leaders now, not on the first Feedback
    producer.partitionsFor(topic);
  }

  /** @param bootstrap host:port[,host:port...] */
  public static KafkaEventLog open(String bootstrap, String topic) throws IOException {
    return new KafkaEventLog(bootstrap, topic);
  }

  /** Reads the topic from its start to where it ends now, partition by partition. */
  public static EventLogReader reader(String bootstrap, String topic) {
    return sink -> readTopic(bootstrap, topic, sink);
  }

  private static void ensureTopic(String bootstrap, String topic) throws IOException {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    try (Admin admin = Admin.create(p)) {
      if (admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
        return;
      }
      int brokers = admin.describeCluster().nodes().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
      short replicas = (short) Math.min(3, brokers);
      try {
        admin.createTopics(List.of(new NewTopic(topic, PARTITIONS, replicas)))
            .all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        log.info("event log: created topic {} ({} partitions, {} replicas)", topic, PARTITIONS, replicas);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
      awaitLeaders(admin, topic);
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot reach Kafka at " + bootstrap + " for topic " + topic + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * A new topic's partitions take a moment to get leaders; producing before that makes the first
   * batches fail and the idempotent producer's later ones arrive out of sequence.
   */
  private static void awaitLeaders(Admin admin, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
    while (true) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + topic + " have no leader after " + CALL_TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  @Override
  public CompletableFuture<Void> append(EventRecord record) {
    if (closed) {
      return CompletableFuture.failedFuture(new IOException(describe() + " is closed"));
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    try {
      producer.send(new ProducerRecord<>(topic, record.getUserId(), record.toByteArray()), (metadata, failure) -> {
        if (failure == null) {
          done.complete(null);
        } else {
          done.completeExceptionally(new IOException(describe() + ": append failed: " + failure, failure));
        }
      });
    } catch (RuntimeException e) {
      // the producer was closed under us, or its buffer stayed full for max.block.ms
      return CompletableFuture.failedFuture(new IOException(describe() + ": append failed: " + e.getMessage()
          + (closed ? " (closed)" : ""), e));
    }
    return done;
  }

  @Override
  public ReadResult readAll(Consumer<EventRecord> sink) throws IOException {
    return readTopic(bootstrap, topic, sink);
  }

  private static ReadResult readTopic(String bootstrap, String topic, Consumer<EventRecord> sink) throws IOException {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    long records = 0;
    long skipped = 0;
    List<String> warnings = new ArrayList<>();
    try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic);
      if (infos == null || infos.isEmpty()) {
        return new ReadResult(0, List.of());
      }
      List<TopicPartition> partitions = infos.stream().map(i -> new TopicPartition(topic, i.partition())).toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      Set<TopicPartition> open = new java.util.HashSet<>(partitions);
      open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
      while (!open.isEmpty()) {
        if (System.nanoTime() > deadline) {
          throw new IOException("reading " + topic + " from " + bootstrap + " made no progress for 10 minutes");
        }
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          if (r.offset() >= end.get(tp)) {
            continue;
          }
          EventRecord record;
          try {
            record = EventRecord.parseFrom(r.value());
          } catch (com.google.protobuf.InvalidProtocolBufferException e) {
            skipped++;
            continue;
          }
          if (record.getSchemaVersion() > Segments.SCHEMA_VERSION) {
            skipped++;
            continue;
          }
          sink.accept(record);
          records++;
        }
        open.removeIf(tp -> consumer.position(tp) >= end.get(tp));
      }
    } catch (org.apache.kafka.common.KafkaException e) {
      throw new IOException("cannot read " + topic + " from Kafka at " + bootstrap + ": " + e.getMessage(), e);
    }
    if (skipped > 0) {
      String w = "kafka topic " + topic + ": " + skipped + " messages skipped (not an EventRecord, or a newer schema)";
      log.warn("event log {}", w);
      warnings.add(w);
    }
    return new ReadResult(records, warnings);
  }

  @Override
  public String describe() {
    return "kafka://" + bootstrap + "/" + topic + " (idempotent producer, acks=all)";
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    producer.close(Duration.ofSeconds(30));
  }
}
