package io.recsys.gateway.history;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.common.bundle.Tsv;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A bundle's stats/recent_history.tsv: each known user's newest events when the bundle was built,
 * so that users have a history before their first Feedback.
 */
public final class HistorySeed {

  public static final List<String> HEADER = List.of("user_id", "item_id", "type", "timestamp_ms", "value");

  private HistorySeed() {}

  /** Events per user, in file order; empty when the bundle has no recent history. */
  public static Map<String, List<Event>> read(Path recentHistory) throws IOException {
    Map<String, List<Event>> byUser = new LinkedHashMap<>();
    if (!Files.isRegularFile(recentHistory)) {
      return byUser;
    }
    Tsv.read(recentHistory, HEADER, (c, line) -> {
      EventType type;
      try {
        type = EventType.valueOf(c[2]);
      } catch (IllegalArgumentException e) {
        throw new IOException(recentHistory + ":" + line + ": unknown event type '" + c[2] + "'");
      }
      byUser.computeIfAbsent(c[0], u -> new ArrayList<>()).add(Event.newBuilder().setItemId(c[1]).setType(type)
          .setTimestampMs(Long.parseLong(c[3])).setValue(Double.parseDouble(c[4])).build());
    });
    return byUser;
  }
}
