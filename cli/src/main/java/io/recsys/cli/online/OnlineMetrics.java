package io.recsys.cli.online;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The online figures of a set of joined impressions, per experiment arm and per candidate source
 * (an item proposed by two sources counts for both; {@link #ALL} counts it once): impressions,
 * click-through rate and conversion (purchases per impression) with 95% Wilson intervals, watch
 * seconds per impression with a 95% normal interval, and per arm the share of returning users
 * (users served again more than the join window after their first answer).
 */
final class OnlineMetrics {

  static final String ALL = "all";
  private static final double Z = 1.959963984540054;

  /** An estimate and its 95% interval. */
  record Estimate(double value, double low, double high) {}

  record Row(String arm, String source, long impressions, long clicks, long purchases, Estimate ctr,
             Estimate conversion, Estimate watchSeconds) {}

  record ArmUsers(String arm, long users, long returning) {
    double share() {
      return users == 0 ? 0 : (double) returning / users;
    }
  }

  private static final class Tally {
    long n;
    long clicks;
    long purchases;
    double watch;
    double watchSquares;

    void add(FeedbackJoin.Impression i) {
      n++;
      clicks += i.clicked ? 1 : 0;
      purchases += i.purchased ? 1 : 0;
      watch += i.watchSeconds;
      watchSquares += i.watchSeconds * i.watchSeconds;
    }
  }

  final List<Row> rows;
  final List<ArmUsers> users;

  OnlineMetrics(List<FeedbackJoin.Impression> impressions, long windowMs) {
    Map<String, Map<String, Tally>> tallies = new TreeMap<>();
    Map<String, Map<String, long[]>> servedSpan = new TreeMap<>();
    for (FeedbackJoin.Impression i : impressions) {
      Map<String, Tally> arm = tallies.computeIfAbsent(i.arm, a -> new TreeMap<>());
      arm.computeIfAbsent(ALL, s -> new Tally()).add(i);
      for (String source : new HashSet<>(i.sources)) {
        arm.computeIfAbsent(source, s -> new Tally()).add(i);
      }
      long[] span = servedSpan.computeIfAbsent(i.arm, a -> new HashMap<>())
          .computeIfAbsent(i.user, u -> new long[] {Long.MAX_VALUE, Long.MIN_VALUE});
      span[0] = Math.min(span[0], i.servedAtMs);
      span[1] = Math.max(span[1], i.servedAtMs);
    }
    List<Row> r = new ArrayList<>();
    tallies.forEach((arm, bySource) -> bySource.forEach((source, t) -> r.add(new Row(arm, source, t.n, t.clicks,
        t.purchases, wilson(t.clicks, t.n), wilson(t.purchases, t.n), mean(t.watch, t.watchSquares, t.n)))));
    this.rows = List.copyOf(r);
    List<ArmUsers> u = new ArrayList<>();
    servedSpan.forEach((arm, spans) -> u.add(new ArmUsers(arm, spans.size(),
        spans.values().stream().filter(s -> s[1] - s[0] > windowMs).count())));
    this.users = List.copyOf(u);
  }

  /** The Wilson score interval: sound also for few impressions and rates near 0. */
  static Estimate wilson(long successes, long n) {
    if (n == 0) {
      return new Estimate(0, 0, 0);
    }
    double p = (double) successes / n;
    double z2 = Z * Z;
    double denominator = 1 + z2 / n;
    double center = (p + z2 / (2.0 * n)) / denominator;
    double half = Z * Math.sqrt(p * (1 - p) / n + z2 / (4.0 * n * n)) / denominator;
    return new Estimate(p, Math.max(0, center - half), Math.min(1, center + half));
  }

  static Estimate mean(double sum, double sumSquares, long n) {
    if (n == 0) {
      return new Estimate(0, 0, 0);
    }
    double mean = sum / n;
    double variance = n > 1 ? Math.max(0, (sumSquares - n * mean * mean) / (n - 1)) : 0;
    double half = Z * Math.sqrt(variance / n);
    return new Estimate(mean, Math.max(0, mean - half), mean + half);
  }

  Set<String> arms() {
    Set<String> arms = new java.util.TreeSet<>();
    rows.forEach(r -> arms.add(r.arm()));
    return arms;
  }
}
