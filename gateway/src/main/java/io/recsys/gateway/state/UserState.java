package io.recsys.gateway.state;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.LoggedFeedback;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;
import io.recsys.common.server.ServerCounters;
import io.recsys.gateway.GatewayBundle;
import io.recsys.gateway.history.HistoryEvents;
import io.recsys.gateway.history.HistorySeed;
import io.recsys.state.history.HistoryStore;
import io.recsys.state.history.HistoryStores;
import io.recsys.state.history.HistoryUnavailableException;
import io.recsys.state.log.EventLog;
import io.recsys.state.log.EventLogs;
import io.recsys.state.log.EventLogReader;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's user state: the event log (every Feedback, every Recommend answer) and the history
 * store. Feedback is appended to the log and waited for (durable under the log's policy) before the
 * history is updated and the call acknowledged. Answers are appended without waiting: the log's
 * writer commits them with the next group, off the request's latency path. An in-process history
 * is rebuilt at start from the bundle's seed and then every Feedback in the log.
 */
public final class UserState implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(UserState.class);

  public static final int SCHEMA_VERSION = 1;
  /**
   * How long Feedback waits for its record to be durable before it answers UNAVAILABLE (the
   * caller's deadline usually ends the wait sooner).
   */
  private static final long DURABLE_TIMEOUT_MS = 30_000;

  private final EventLog events;
  private final HistoryStore history;
  private final ServerCounters counters;
  private final LiveAttribution attribution;

  private UserState(EventLog events, HistoryStore history, ServerCounters counters) {
    this.events = events;
    this.history = history;
    this.counters = counters;
    this.attribution = new LiveAttribution(counters);
  }

  /**
   * Opens the log and the store, seeds the store with the bundle's recent history and, when it is
   * in-process, replays the log's Feedback into it.
   *
   * @param eventLog an {@code --event-log} value
   * @param historyStore a {@code --history-store} value
   */
  public static UserState open(String eventLog, String historyStore, int historySize, int historyMaxUsers,
                               GatewayBundle bundle, ServerCounters counters) throws IOException {
    EventLog events = EventLogs.open(eventLog);
    HistoryStore history;
    try {
      history = HistoryStores.open(historyStore, historySize, historyMaxUsers);
    } catch (RuntimeException e) {
      events.close();
      throw e;
    }
    UserState state = new UserState(events, history, counters);
    try {
      state.load(bundle);
    } catch (IOException | RuntimeException e) {
      state.close();
      throw e;
    }
    return state;
  }

  private void load(GatewayBundle bundle) throws IOException {
    long start = System.nanoTime();
    history.seed(bundle.version(), HistorySeed.read(bundle.layout().recentHistory()));
    long replayed = 0;
    if (history.inProcess()) {
      long[] count = {0};
      EventLogReader.ReadResult read = events.readAll(r -> {
        if (r.hasFeedback()) {
          List<Event> interest = HistoryEvents.interest(r.getFeedback().getEventsList(), r.getLoggedAtMs());
          if (!interest.isEmpty()) {
            history.append(r.getUserId(), interest);
            count[0]++;
          }
        }
      });
      replayed = count[0];
      counters.add("event_log.replay_warnings", read.warnings().size());
    }
    log.info("user state: event log {}, history {}; seeded from bundle {}{} in {} ms", events.describe(),
        history.describe(), bundle.version(), history.inProcess() ? ", " + replayed + " Feedback calls replayed from the log" : "",
        (System.nanoTime() - start) / 1_000_000);
  }

  public HistoryStore history() {
    return history;
  }

  public EventLog events() {
    return events;
  }

  /**
   * Logs one Feedback call, waits until it is durable, then adds its interest events to the history.
   * A history store that is down does not fail the call: the events are in the log.
   *
   * @param events validated; "0 = now" timestamps are resolved to {@code nowMs} before logging
   * @return the user's history size afterwards (0 when the store is unavailable)
   * @throws IOException when the log could not make the record durable (the call must not be acknowledged)
   */
  public int recordFeedback(String userId, String requestId, String arm, List<Event> events, long nowMs)
      throws IOException {
    List<Event> resolved = HistoryEvents.resolved(events, nowMs);
    EventRecord record = EventRecord.newBuilder().setSchemaVersion(SCHEMA_VERSION).setLoggedAtMs(nowMs)
        .setUserId(userId)
        .setFeedback(LoggedFeedback.newBuilder().setRequestId(requestId).setArm(arm).addAllEvents(resolved))
        .build();
    try {
      this.events.append(record).get(DURABLE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      counters.increment("event_log.append_failed");
      throw new IOException(e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      counters.increment("event_log.append_failed");
      throw new IOException("the event log did not make the events durable within " + DURABLE_TIMEOUT_MS + " ms", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while waiting for the event log", e);
    }
    attribution.feedback(requestId, resolved);
    List<Event> interest = resolved.stream().filter(HistoryEvents::isInterest).toList();
    try {
      return interest.isEmpty() ? history.size(userId) : history.append(userId, interest);
    } catch (HistoryUnavailableException e) {
      counters.increment("history.write_failed");
      log.warn("feedback of {} is in the event log but not in the history store: {}", userId, e.getMessage());
      return 0;
    }
  }

  /** Appends the answer to the log without waiting; a failure is counted and logged, never the caller's. */
  public void recordAnswer(String userId, String arm, String bundleVersion, int k, RecommendResponse response) {
    ServedAnswer.Builder answer = ServedAnswer.newBuilder().setRequestId(response.getRequestId()).setArm(arm)
        .setBundleVersion(bundleVersion).setModelVersion(response.getModelVersion()).setK(k)
        .setDegraded(response.getDegraded()).addAllDegradedReasons(response.getDegradedReasonsList());
    for (int i = 0; i < response.getItemsCount(); i++) {
      RecommendedItem item = response.getItems(i);
      answer.addItems(ServedItem.newBuilder().setItemId(item.getItemId()).setPosition(i).setScore(item.getScore())
          .addAllSources(item.getSourcesList()));
    }
    EventRecord record = EventRecord.newBuilder().setSchemaVersion(SCHEMA_VERSION)
        .setLoggedAtMs(System.currentTimeMillis()).setUserId(userId).setAnswer(answer).build();
    attribution.served(record.getAnswer());
    events.append(record).whenComplete((ok, failure) -> {
      if (failure != null) {
        counters.increment("event_log.append_failed");
        log.warn("answer {} not logged: {}", response.getRequestId(), failure.toString());
      }
    });
  }

  @Override
  public void close() {
    try {
      events.close();
    } finally {
      history.close();
    }
  }
}
