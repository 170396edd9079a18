package io.recsys.cli.loadtest;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.FeedbackRequest;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RecommendRequest;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * Draws the calls of a load test: Recommend for known and unknown users, some carrying recent
 * events the server has not seen, some with a category filter, k drawn from a set; and a share of
 * Feedback calls from known users. Each share is independent of the others.
 *
 * @param unknownShare Recommend calls from users the model never saw (cold start)
 * @param eventsShare Recommend calls carrying 1..{@value #MAX_RECENT_EVENTS} recent events
 * @param filterShare Recommend calls restricted to one category (needs categories in {@code ids})
 * @param feedbackShare calls that are Feedback instead of Recommend
 * @param ks the k values drawn from, uniformly
 */
public record TrafficMix(TrafficIds ids, double unknownShare, double eventsShare, double filterShare,
                         double feedbackShare, List<Integer> ks) {

  static final int MAX_RECENT_EVENTS = 5;
  private static final EventType[] EVENT_TYPES = {EventType.VIEW, EventType.CLICK, EventType.ADD_TO_CART,
      EventType.PURCHASE};

  public TrafficMix {
    for (double share : new double[] {unknownShare, eventsShare, filterShare, feedbackShare}) {
      if (share < 0 || share > 1) {
        throw new IllegalArgumentException("traffic shares must be within 0..1, got " + share);
      }
    }
    if (ks.isEmpty() || ks.stream().anyMatch(k -> k < 1 || k > 200)) {
      throw new IllegalArgumentException("k values must be 1..200, got " + ks);
    }
    ks = List.copyOf(ks);
  }

  /** One call to send. */
  public sealed interface Call {
    record Recommend(RecommendRequest request) implements Call {}

    record Feedback(FeedbackRequest request) implements Call {}
  }

  public Call next(RandomGenerator rnd) {
    if (rnd.nextDouble() < feedbackShare) {
      return new Call.Feedback(FeedbackRequest.newBuilder()
          .setUserId(pick(ids.users(), rnd)).addAllEvents(events(1 + rnd.nextInt(3), rnd)).build());
    }
    RecommendRequest.Builder r = RecommendRequest.newBuilder()
        .setUserId(rnd.nextDouble() < unknownShare ? "loadtest-new-" + rnd.nextInt(1_000_000) : pick(ids.users(), rnd))
        .setK(pick(ks, rnd));
    if (rnd.nextDouble() < eventsShare) {
      r.addAllRecentEvents(events(1 + rnd.nextInt(MAX_RECENT_EVENTS), rnd));
    }
    if (!ids.categories().isEmpty() && rnd.nextDouble() < filterShare) {
      r.setFilters(Filters.newBuilder().addIncludeCategories(pick(ids.categories(), rnd)));
    }
    return new Call.Recommend(r.build());
  }

  private List<Event> events(int n, RandomGenerator rnd) {
    return java.util.stream.Stream.generate(() -> Event.newBuilder()
            .setItemId(pick(ids.items(), rnd))
            .setType(EVENT_TYPES[rnd.nextInt(EVENT_TYPES.length)])
            .build())
        .limit(n).toList();
  }

  private static <T> T pick(List<T> values, RandomGenerator rnd) {
    return values.get(rnd.nextInt(values.size()));
  }
}
