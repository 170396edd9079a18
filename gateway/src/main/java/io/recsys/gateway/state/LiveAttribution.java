package io.recsys.gateway.state;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.ServedAnswer;
import io.recsys.api.v1.ServedItem;
import io.recsys.common.server.ServerCounters;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Live online metrics next to the per-arm counters: Feedback that names the request id of an answer
 * this gateway served recently is attributed to that answer's arm and to every source of the item,
 * as counters {@code arm.<arm>.attributed.CLICK.<source>}, {@code .PURCHASE.<source>} and
 * {@code .WATCH_SECONDS.<source>}; divided by {@code arm.<arm>.served.<source>} they give CTR,
 * conversion and watch time per arm and source while serving. Only this gateway's last
 * {@link #CAPACITY} answers are remembered, so with several replicas the live figures are a sample;
 * {@code bin/recsys online-report} joins the whole event log.
 */
final class LiveAttribution {

  static final int CAPACITY = 20_000;

  private final ServerCounters counters;
  private final Map<String, ServedAnswer> recent = new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, ServedAnswer> eldest) {
      return size() > CAPACITY;
    }
  };

  LiveAttribution(ServerCounters counters) {
    this.counters = counters;
  }

  synchronized void served(ServedAnswer answer) {
    recent.put(answer.getRequestId(), answer);
  }

  /** @param events timestamps resolved; those that are not outcomes (views, impressions, ...) are ignored */
  void feedback(String requestId, List<Event> events) {
    ServedAnswer answer;
    synchronized (this) {
      answer = requestId.isEmpty() ? null : recent.get(requestId);
    }
    if (answer == null) {
      return;
    }
    for (Event e : events) {
      String outcome = switch (e.getType()) {
        case CLICK, PURCHASE -> e.getType().name();
        case WATCH -> "WATCH_SECONDS";
        default -> null;
      };
      if (outcome == null) {
        continue;
      }
      for (ServedItem item : answer.getItemsList()) {
        if (item.getItemId().equals(e.getItemId())) {
          long amount = e.getType() == EventType.WATCH ? Math.round(e.getValue()) : 1;
          for (String source : item.getSourcesList()) {
            counters.add("arm." + answer.getArm() + ".attributed." + outcome + "." + source, amount);
          }
        }
      }
    }
  }
}
