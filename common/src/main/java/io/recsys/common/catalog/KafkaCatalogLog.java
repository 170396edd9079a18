package io.recsys.common.catalog;

import com.google.protobuf.InvalidProtocolBufferException;
import io.recsys.api.v1.CatalogRecord;
import io.recsys.state.log.KafkaTopics;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The catalog log as a Kafka topic of one partition, for servers that share no file system (pods
 * on several nodes): one message per CatalogRecord, keyed by item id. One partition keeps the
 * whole catalog in one order, as the file does; the key lets a compacted topic (how a missing
 * topic is created) keep just the latest change of each item, which is all a replay needs.
 *
 * <p>Positions are Kafka offsets and a record's sequence is its offset + 1, so gateways that
 * produce concurrently need not agree on numbers. An append is acknowledged by every in-sync
 * replica ({@code acks=all}, idempotent producer) before it returns. Readers replay from offset 0
 * and poll on: no consumer group, no committed offsets.
 */
public final class KafkaCatalogLog implements CatalogLog {

  private static final Logger LOG = LoggerFactory.getLogger(KafkaCatalogLog.class);
  /** A poll that finds nothing new waits this long at most: the tail polls again soon anyway. */
  private static final Duration POLL = Duration.ofMillis(200);

  private final KafkaTopics.Location at;
  private final TopicPartition partition;
  private final KafkaConsumer<String, byte[]> consumer;
  /** Made by the first append: only the gateway produces. */
  private KafkaProducer<String, byte[]> producer;

  private KafkaCatalogLog(KafkaTopics.Location at, KafkaConsumer<String, byte[]> consumer) {
    this.at = at;
    this.partition = new TopicPartition(at.topic(), 0);
    this.consumer = consumer;
    consumer.assign(List.of(partition));
  }

  /** Creates the topic (compacted, one partition) when it is missing. */
  public static KafkaCatalogLog open(KafkaTopics.Location at) throws IOException {
    int partitions = KafkaTopics.ensure(at, 1, Map.of("cleanup.policy", "compact"));
    if (partitions != 1) {
      throw new IllegalArgumentException("--catalog-log " + at.url() + ": the topic has " + partitions
          + " partitions; the catalog log needs exactly 1 (one order for every change)");
    }
    java.util.Properties p = KafkaTopics.consumer(at.bootstrap());
    // a position retention has already removed (a plain topic) reads on from the oldest record left
    p.put(org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return new KafkaCatalogLog(at, new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer()));
  }

  @Override
  public long append(List<CatalogRecord> changes, long nowMs) throws IOException {
    List<Future<RecordMetadata>> sent = new ArrayList<>(changes.size());
    try {
      KafkaProducer<String, byte[]> p = producer();
      for (CatalogRecord change : changes) {
        CatalogRecord r = change.toBuilder().setSchemaVersion(1).setLoggedAtMs(nowMs).build();
        String key = r.hasUpsert() ? r.getUpsert().getItemId() : r.getDeleteItemId();
        sent.add(p.send(new ProducerRecord<>(at.topic(), 0, key, r.toByteArray())));
      }
      long last = 0;
      for (Future<RecordMetadata> f : sent) {
        // the producer gives up after its delivery timeout (2 min); this bounds the wait anyway
        last = f.get(3, TimeUnit.MINUTES).offset() + 1;
      }
      return last;
    } catch (ExecutionException | TimeoutException | KafkaException e) {
      throw new IOException("appending to " + describe() + " failed: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted appending to " + describe(), e);
    }
  }

  private synchronized KafkaProducer<String, byte[]> producer() {
    if (producer == null) {
      producer = new KafkaProducer<>(KafkaTopics.producer(at.bootstrap(), "recsys-catalog-log"),
          new StringSerializer(), new ByteArraySerializer());
    }
    return producer;
  }

  /** Up to the end the partition has now (its high watermark: what every in-sync replica has). */
  @Override
  public synchronized Batch read(long offset) throws IOException {
    try {
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      if (offset >= end) {
        return new Batch(List.of(), offset);
      }
      if (consumer.position(partition) != offset) {
        consumer.seek(partition, offset);
      }
      List<CatalogRecord> records = new ArrayList<>();
      long skipped = 0;
      long deadline = System.nanoTime() + KafkaTopics.CALL_TIMEOUT.toNanos();
      // a compacted topic has gaps between offsets: the position, not the last record, says how far
      while (consumer.position(partition) < end) {
        if (System.nanoTime() > deadline) {
          throw new IOException("reading " + describe() + " made no progress for " + KafkaTopics.CALL_TIMEOUT);
        }
        for (ConsumerRecord<String, byte[]> m : consumer.poll(POLL)) {
          CatalogRecord r = parse(m.value());
          if (r == null) {
            skipped++;
          } else {
            records.add(r.toBuilder().setSequence(m.offset() + 1).build());
          }
        }
      }
      if (skipped > 0) {
        LOG.warn("catalog log {}: {} messages skipped (empty or not a CatalogRecord)", describe(), skipped);
      }
      return new Batch(records, consumer.position(partition));
    } catch (KafkaException e) {
      throw new IOException("reading " + describe() + " failed: " + e.getMessage(), e);
    }
  }

  private static CatalogRecord parse(byte[] value) {
    if (value == null) {
      return null;
    }
    try {
      return CatalogRecord.parseFrom(value);
    } catch (InvalidProtocolBufferException e) {
      return null;
    }
  }

  @Override
  public String describe() {
    return at.url();
  }

  @Override
  public synchronized void close() {
    if (producer != null) {
      producer.close(Duration.ofSeconds(30));
    }
    consumer.close(Duration.ofSeconds(5));
  }
}
