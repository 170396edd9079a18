package io.recsys.cli.online;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventRecord;
import io.recsys.api.v1.EventType;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import io.recsys.state.log.EventLogReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The loop back to training: the Feedback events of an event log appended to a data set's
 * histories (new users are added), so the next bundle learns from what users did while served.
 * Only interest on catalog items counts: impressions and searches carry no item interest, and items
 * the data set's catalog lacks cannot be trained on (they are counted, not fatal).
 */
public final class TrainingFeedback {

  /** @param skipped events left out: impressions, searches, items not in the catalog */
  public record Merged(Dataset dataset, long added, long skipped, long newUsers) {}

  private TrainingFeedback() {}

  public static Merged append(Dataset data, EventLogReader log) throws IOException {
    Map<String, Integer> itemIndex = new HashMap<>();
    for (int i = 0; i < data.items().size(); i++) {
      itemIndex.put(data.items().id(i), i);
    }
    List<String> users = new ArrayList<>(data.userIds());
    List<List<Interaction>> histories = data.copyHistories();
    Map<String, Integer> userIndex = new HashMap<>();
    for (int u = 0; u < users.size(); u++) {
      userIndex.put(users.get(u), u);
    }
    long[] counts = new long[3]; // added, skipped, new users
    log.readAll((EventRecord r) -> {
      if (!r.hasFeedback()) {
        return;
      }
      for (Event e : r.getFeedback().getEventsList()) {
        Integer item = itemIndex.get(e.getItemId());
        if (item == null || e.getType() == EventType.IMPRESSION || e.getType() == EventType.SEARCH) {
          counts[1]++;
          continue;
        }
        int u = userIndex.computeIfAbsent(r.getUserId(), id -> {
          users.add(id);
          histories.add(new ArrayList<>());
          counts[2]++;
          return users.size() - 1;
        });
        histories.get(u).add(new Interaction(item, e.getType(), e.getTimestampMs(), e.getValue()));
        counts[0]++;
      }
    });
    for (List<Interaction> h : histories) {
      h.sort(Comparator.comparingLong(Interaction::timestampMs)); // stable: ties keep their order
    }
    return new Merged(new Dataset(data.name() + "+event-log", data.items(), users, histories),
        counts[0], counts[1], counts[2]);
  }
}
