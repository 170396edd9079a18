package io.recsys.state.log;

import io.recsys.state.Specs;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka plumbing every durable log of recsys shares (the event log, the live catalog log):
 * where a {@code kafka://HOST:PORT[,HOST:PORT...]/TOPIC} points, the topic created when missing
 * with leaders before the first produce, and the producer and consumer settings that make an
 * append durable and a read a plain replay.
 */
public final class KafkaTopics {

  private static final Logger log = LoggerFactory.getLogger(KafkaTopics.class);

  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(15);

  private KafkaTopics() {}

  /** A topic and the brokers to reach it by. */
  public record Location(String bootstrap, String topic) {

    /** @param option the flag the value came from, for the message when it is malformed */
    public static Location parse(String option, String spec) {
      return of(option, Specs.parse(option, spec, java.util.Set.of()));
    }

    static Location of(String option, Specs s) {
      String authority = s.authority(option);
      int slash = authority.indexOf('/');
      if (slash <= 0 || slash == authority.length() - 1 || authority.indexOf('/', slash + 1) >= 0
          || !s.options().isEmpty()) {
        throw new IllegalArgumentException(option + " kafka:" + s.location() + " needs kafka://HOST:PORT/TOPIC");
      }
      return new Location(authority.substring(0, slash), authority.substring(slash + 1));
    }

    public String url() {
      return "kafka://" + bootstrap + "/" + topic;
    }
  }

  /**
   * Creates the topic when it is missing (replicated on up to 3 brokers) and waits until its
   * partitions have leaders.
   *
   * @param configs topic configs for a new topic, e.g. {@code cleanup.policy=compact}
   * @return the topic's partition count (an existing topic keeps its own)
   */
  public static int ensure(Location at, int partitions, Map<String, String> configs) throws IOException {
    try (Admin admin = Admin.create(admin(at.bootstrap()))) {
      if (!admin.listTopics().names().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).contains(at.topic())) {
        int brokers = admin.describeCluster().nodes().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
        short replicas = (short) Math.min(3, brokers);
        try {
          admin.createTopics(List.of(new NewTopic(at.topic(), partitions, replicas).configs(configs)))
              .all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
          log.info("created topic {} ({} partitions, {} replicas, {})", at.topic(), partitions, replicas, configs);
        } catch (ExecutionException e) {
          if (!(e.getCause() instanceof TopicExistsException)) {
            throw e;
          }
        }
      }
      return awaitLeaders(admin, at.topic());
    } catch (ExecutionException | TimeoutException e) {
      throw new IOException("cannot reach Kafka at " + at.bootstrap() + " for topic " + at.topic() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  /**
   * A new topic's partitions take a moment to get leaders; producing before that makes the first
   * batches fail and the idempotent producer's later ones arrive out of sequence.
   */
  private static int awaitLeaders(Admin admin, String topic)
      throws ExecutionException, TimeoutException, InterruptedException {
    long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
    while (true) {
      TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(topic);
      if (d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
        return d.partitions().size();
      }
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("partitions of " + topic + " have no leader after " + CALL_TIMEOUT);
      }
      Thread.sleep(50);
    }
  }

  private static Properties admin(String bootstrap) {
    Properties p = new Properties();
    p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    return p;
  }

  /**
   * An idempotent producer with {@code acks=all}: a send completes when every in-sync replica has
   * the record, and retries never duplicate or reorder it.
   */
  public static Properties producer(String bootstrap, String clientId) {
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
    p.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    return p;
  }

  /** A consumer without a group (partitions assigned by the reader, no offsets committed): a replay. */
  public static Properties consumer(String bootstrap) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    p.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    p.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    p.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000);
    p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
    return p;
  }
}
