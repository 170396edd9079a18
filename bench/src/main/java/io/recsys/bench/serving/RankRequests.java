package io.recsys.bench.serving;

import io.recsys.api.v1.CandidateColumns;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RankRequest;
import io.recsys.api.v1.SourceColumn;
import io.recsys.bench.ann.QueryLoad;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.UserTable;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.RankerFeatures.UserProfile;
import io.recsys.common.validation.EventValidator;
import io.recsys.ranking.bundle.RankingBundle;
import io.recsys.ranking.features.CandidateRows;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/** The benchmarks' users, their recent events and Rank requests, and the ranker's work on one request in process. */
public final class RankRequests {

  /** A user (a tenth unknown) with 0..20 recent views of random items. */
  public record Session(String userId, List<Event> events) {}

  private RankRequests() {}

  /** Sessions of the bundle's users (a tenth unknown), read from its users.tsv. */
  public static List<Session> sessions(int count, RankingBundle bundle, Random rnd) throws java.io.IOException {
    return sessions(count, bundle.items(), UserTable.read(new BundleLayout(bundle.dir()).users()), rnd);
  }

  public static List<Session> sessions(int count, ItemCatalog items, UserTable users, Random rnd) {
    long now = System.currentTimeMillis();
    List<Session> out = new ArrayList<>(count);
    for (int q = 0; q < count; q++) {
      String user = rnd.nextInt(10) == 0 || users.size() <= 1
          ? "bench-new-user-" + q : users.id(1 + rnd.nextInt(users.size() - 1));
      List<Event> events = new ArrayList<>();
      int n = rnd.nextInt(21);
      for (int e = 0; e < n; e++) {
        events.add(Event.newBuilder().setItemId(items.id(rnd.nextInt(items.size()))).setType(EventType.VIEW)
            .setTimestampMs(now - (n - e) * 60_000L).build());
      }
      out.add(new Session(user, events));
    }
    return out;
  }

  /** n distinct random candidates as columns: two thirds from two_tower, the rest popular. */
  public static RankRequest rankRequest(Session s, int n, ItemCatalog items, Random rnd) {
    CandidateColumns.Builder columns = CandidateColumns.newBuilder();
    SourceColumn.Builder twoTower = SourceColumn.newBuilder().setSource(CandidateSources.TWO_TOWER);
    SourceColumn.Builder popular = SourceColumn.newBuilder().setSource(CandidateSources.POPULAR);
    Set<Integer> picked = new HashSet<>();
    while (picked.size() < Math.min(n, items.size())) {
      int item = rnd.nextInt(items.size());
      if (picked.add(item)) {
        boolean tt = picked.size() <= 2 * n / 3;
        columns.addItemIds(items.id(item));
        twoTower.addScores(tt ? rnd.nextFloat() : Float.NaN);
        popular.addScores(tt ? Float.NaN : rnd.nextFloat());
      }
    }
    return RankRequest.newBuilder().setUserId(s.userId()).addAllRecentEvents(s.events())
        .setColumns(columns.addSources(twoTower).addSources(popular)).build();
  }

  /** What the ranking server does for request q, without gRPC and batching: history, feature rows, one DeepFM call. */
  public static QueryLoad.Search inProcess(RankingBundle ranker, List<RankRequest> requests) {
    long now = System.currentTimeMillis();
    return q -> {
      RankRequest req = requests.get(q);
      List<Interaction> history = EventValidator.resolve(req.getRecentEventsList(), ranker.items(), now);
      UserProfile profile = ranker.features().profile(history, now);
      CandidateRows built = CandidateRows.build(req, profile, ranker.items(), ranker.features());
      return ranker.score(built.sparse(), built.dense(), built.rows()).length;
    };
  }
}
