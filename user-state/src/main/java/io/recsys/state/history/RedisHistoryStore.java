package io.recsys.state.history;

import com.google.protobuf.InvalidProtocolBufferException;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.recsys.api.v1.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Users' histories in Redis, shared by every gateway: one list per user ({@code recsys:history:<user>},
 * serialized {@link Event}s in append order) capped with LTRIM and expiring after the TTL without
 * activity. An append is RPUSH + LTRIM + PEXPIRE sent together (pipelined, one round trip); a read
 * is one LRANGE; concurrent requests share one connection, pipelined. Reads wait at most the read
 * timeout; while Redis is unreachable calls fail at once (no queueing), and the client reconnects
 * by itself every {@link #RECONNECT_DELAY}. That holds from the start: a gateway that starts before
 * its Redis serves without stored history until it connects (then loads the pending seed).
 */
public final class RedisHistoryStore implements HistoryStore {

  private static final Logger log = LoggerFactory.getLogger(RedisHistoryStore.class);

  static final String KEY_PREFIX = "recsys:history:";
  static final String SEED_PREFIX = "recsys:seed:";
  static final Duration RECONNECT_DELAY = Duration.ofMillis(250);
  /** Feedback waits at least this long for its history write; a Recommend waits only the read timeout. */
  private static final Duration MIN_WRITE_TIMEOUT = Duration.ofSeconds(1);
  private static final Comparator<Event> BY_TIME = Comparator.comparingLong(Event::getTimestampMs);

  private final String address;
  private final int maxPerUser;
  private final Duration ttl;
  private final Duration readTimeout;
  private final Duration writeTimeout;
  private final ClientResources resources;
  private final RedisClient client;
  /** Null until the first connection succeeds; Lettuce reconnects it by itself after that. */
  private volatile StatefulRedisConnection<byte[], byte[]> connection;
  private volatile String notConnected = "not connected yet";
  /** The seed asked for before the first connection, loaded once connected. */
  private volatile Runnable pendingSeed;
  private final Thread connector;

  /**
   * Connects at once when Redis is up; otherwise keeps trying in the background (calls fail with
   * {@link HistoryUnavailableException} meanwhile).
   *
   * @param address host:port
   */
  public RedisHistoryStore(String address, int maxPerUser, Duration ttl, Duration readTimeout) {
    if (maxPerUser < 1 || ttl.toMillis() < 1 || readTimeout.toMillis() < 1) {
      throw new IllegalArgumentException("history size, TTL and timeout must be positive");
    }
    this.address = address;
    this.maxPerUser = maxPerUser;
    this.ttl = ttl;
    this.readTimeout = readTimeout;
    this.writeTimeout = readTimeout.compareTo(MIN_WRITE_TIMEOUT) > 0 ? readTimeout : MIN_WRITE_TIMEOUT;
    int colon = address.lastIndexOf(':');
    if (colon <= 0) {
      throw new IllegalArgumentException("redis address '" + address + "' is not HOST:PORT");
    }
    RedisURI uri = RedisURI.create(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)));
    uri.setTimeout(writeTimeout);
    this.resources = ClientResources.builder().reconnectDelay(Delay.constant(RECONNECT_DELAY)).build();
    this.client = RedisClient.create(resources, uri);
    client.setOptions(ClientOptions.builder()
        .autoReconnect(true)
        // fail fast while disconnected: the gateway answers without history instead of waiting
        .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
        .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(1)).keepAlive(true).build())
        .timeoutOptions(TimeoutOptions.enabled(writeTimeout))
        .build());
    if (tryConnect()) {
      connector = null;
    } else {
      log.warn("history store redis://{} is not reachable ({}); serving without stored history until it is",
          address, notConnected);
      connector = Thread.ofPlatform().daemon().name("redis-connector").start(this::connectUntilUp);
    }
  }

  private boolean tryConnect() {
    try {
      connection = client.connect(ByteArrayCodec.INSTANCE);
      return true;
    } catch (RuntimeException e) {
      notConnected = "cannot connect: " + e.getMessage();
      return false;
    }
  }

  private void connectUntilUp() {
    try {
      while (!tryConnect()) {
        Thread.sleep(RECONNECT_DELAY.toMillis());
      }
    } catch (InterruptedException closing) {
      return;
    }
    log.info("history store redis://{} connected", address);
    Runnable seed = pendingSeed;
    if (seed != null) {
      try {
        seed.run();
      } catch (HistoryUnavailableException e) {
        log.warn("history store redis://{}: loading the seed failed: {}", address, e.getMessage());
      }
    }
  }

  private RedisAsyncCommands<byte[], byte[]> redis() {
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c == null) {
      throw new HistoryUnavailableException("redis://" + address + ": " + notConnected, null);
    }
    return c.async();
  }

  private static byte[] key(String userId) {
    return (KEY_PREFIX + userId).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public int maxPerUser() {
    return maxPerUser;
  }

  @Override
  public int append(String userId, List<Event> events) {
    if (events.isEmpty()) {
      return size(userId);
    }
    Push push = push(userId, events);
    await(push.applied(), writeTimeout, "append to");
    return (int) Math.min(maxPerUser, await(push.length(), writeTimeout, "append to"));
  }

  /**
   * The replies to one push. Redis answers a connection's commands in order, so the last reply
   * (PEXPIRE) means all three are applied: a reader on another connection sees list and expiry.
   */
  private record Push(RedisFuture<Long> length, RedisFuture<Boolean> applied) {}

  /** RPUSH + LTRIM + PEXPIRE without waiting: the three go out back to back. */
  private Push push(String userId, List<Event> events) {
    byte[] key = key(userId);
    byte[][] values = new byte[events.size()][];
    for (int i = 0; i < values.length; i++) {
      values[i] = events.get(i).toByteArray();
    }
    RedisAsyncCommands<byte[], byte[]> redis = redis();
    RedisFuture<Long> length = redis.rpush(key, values);
    redis.ltrim(key, -maxPerUser, -1);
    return new Push(length, redis.pexpire(key, ttl.toMillis()));
  }

  @Override
  public List<Event> recent(String userId) {
    List<byte[]> raw = await(redis().lrange(key(userId), 0, -1), readTimeout, "read from");
    List<Event> events = new ArrayList<>(raw.size());
    for (byte[] r : raw) {
      try {
        events.add(Event.parseFrom(r));
      } catch (InvalidProtocolBufferException e) {
        throw new HistoryUnavailableException("redis://" + address + ": the history of " + userId
            + " holds something that is not an Event (another program writes under " + KEY_PREFIX + "?)", e);
      }
    }
    // appends arrive in about time order; a late event is put in its place (stable for ties)
    events.sort(BY_TIME);
    return events;
  }

  @Override
  public int size(String userId) {
    return (int) Math.min(maxPerUser, await(redis().llen(key(userId)), readTimeout, "read from"));
  }

  /**
   * The first gateway to claim the seed (SET NX) writes it, all users pipelined; the others skip it.
   * Before the first connection, the seed waits and is loaded once connected.
   */
  @Override
  public void seed(String seedId, Map<String, List<Event>> histories) {
    if (connection == null) {
      pendingSeed = () -> seed(seedId, histories);
      if (connection == null) {
        return;
      }
      pendingSeed = null;
    }
    byte[] marker = (SEED_PREFIX + seedId).getBytes(StandardCharsets.UTF_8);
    String claimed = await(redis().set(marker, new byte[] {1}, SetArgs.Builder.nx().px(ttl.toMillis())),
        writeTimeout, "seed");
    if (claimed == null) {
      return;
    }
    List<Push> writes = new ArrayList<>(histories.size());
    histories.forEach((user, events) -> {
      if (!events.isEmpty()) {
        writes.add(push(user, events));
      }
    });
    for (Push w : writes) {
      await(w.applied(), Duration.ofSeconds(30), "seed");
    }
  }

  private <T> T await(RedisFuture<T> future, Duration timeout, String what) {
    try {
      return future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      future.cancel(false);
      throw new HistoryUnavailableException("redis://" + address + " did not answer within "
          + timeout.toMillis() + " ms (" + what + " history)", e);
    } catch (ExecutionException e) {
      throw new HistoryUnavailableException("redis://" + address + ": cannot " + what + " history: "
          + e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new HistoryUnavailableException("interrupted waiting for redis://" + address, e);
    } catch (RuntimeException e) {
      throw new HistoryUnavailableException("redis://" + address + ": cannot " + what + " history: " + e.getMessage(), e);
    }
  }

  @Override
  public boolean inProcess() {
    return false;
  }

  @Override
  public String describe() {
    return "redis://" + address + " (" + maxPerUser + " events per user, TTL " + ttl.toHours() + " h, read timeout "
        + readTimeout.toMillis() + " ms)";
  }

  @Override
  public void close() {
    if (connector != null) {
      connector.interrupt();
      try {
        connector.join(5_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    StatefulRedisConnection<byte[], byte[]> c = connection;
    if (c != null) {
      c.close();
    }
    client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
    resources.shutdown(0, 2, TimeUnit.SECONDS);
  }
}
