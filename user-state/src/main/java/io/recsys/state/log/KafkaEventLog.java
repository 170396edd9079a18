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
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
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

  private final String bootstrap;
  private final String topic;
  private final KafkaProducer<String, byte[]> producer;
  private volatile boolean closed;

  private KafkaEventLog(String bootstrap, String topic) throws IOException {
    this.bootstrap = bootstrap;
    this.topic = topic;
    KafkaTopics.ensure(new KafkaTopics.Location(bootstrap, topic), PARTITIONS, Map.of());
    this.producer = new KafkaProducer<>(KafkaTopics.producer(bootstrap, "recsys-event-log"), new StringSerializer(),
        new ByteArraySerializer());
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
    Properties p = KafkaTopics.consumer(bootstrap);
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
