package io.recsys.models.eval;

import io.recsys.common.features.Interaction;
import io.recsys.models.train.LeaveLastOut;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Which interactions of each user are training, validation and test. Two protocols:
 * <ul>
 *   <li>{@code leave-last-out}: per user (interactions oldest first, ties in file order) the last
 *       interaction is the test item, the second to last the validation item, the rest is training.
 *       Users with fewer than 3 interactions stay entirely in training and are not evaluated.
 *   <li>{@code temporal}: one global cut time, a quantile of all interaction times. Training is what
 *       happened before the cut; the test item is each user's first interaction at or after it, and
 *       the validation item (from before the cut, too) each evaluated user's last one before it. A
 *       user is evaluated with at least 2 interactions before the cut and 1 after; interactions after
 *       a test item are not used. No training interaction is later than any test interaction.
 * </ul>
 */
public final class EvalSplit {

  public static final List<String> PROTOCOLS = List.of("leave-last-out", "temporal");

  private final String protocol;
  private final String detail;
  private final List<List<Interaction>> train;
  private final List<List<Interaction>> beforeTest;
  private final Interaction[] validation;
  private final Interaction[] test;

  private EvalSplit(String protocol, String detail, int users) {
    this.protocol = protocol;
    this.detail = detail;
    this.train = new ArrayList<>(users);
    this.beforeTest = new ArrayList<>(users);
    this.validation = new Interaction[users];
    this.test = new Interaction[users];
  }

  /** Appends the next user: the first {@code seen} of {@code h} precede the test item {@code h[seen]}. */
  private void add(List<Interaction> h, int seen, boolean evaluated) {
    int u = train.size();
    if (!evaluated) {
      train.add(h.subList(0, seen));
      beforeTest.add(h.subList(0, seen));
      return;
    }
    train.add(h.subList(0, seen - 1));
    beforeTest.add(h.subList(0, seen));
    validation[u] = h.get(seen - 1);
    test[u] = h.get(seen);
  }

  /** @param histories per user, oldest first (as {@link io.recsys.models.data.Dataset} keeps them) */
  public static EvalSplit leaveLastOut(List<List<Interaction>> histories) {
    EvalSplit s = new EvalSplit("leave-last-out", "", histories.size());
    for (List<Interaction> h : histories) {
      s.add(h, h.size() < 3 ? h.size() : h.size() - 1, h.size() >= 3);
    }
    return s;
  }

  /** @param cutQuantile where among all interaction times the cut lies, in (0, 1) */
  public static EvalSplit temporal(List<List<Interaction>> histories, double cutQuantile) {
    long cut = cutTime(histories, cutQuantile);
    EvalSplit s = new EvalSplit("temporal", String.format(java.util.Locale.ROOT, "cut at the %.2f quantile of "
        + "interaction times: %s", cutQuantile, Instant.ofEpochMilli(cut)), histories.size());
    for (List<Interaction> h : histories) {
      int before = 0;
      while (before < h.size() && h.get(before).timestampMs() < cut) {
        before++;
      }
      s.add(h, before, before >= 2 && before < h.size());
    }
    return s;
  }

  /** The split of the protocol named {@code protocol} (one of {@link #PROTOCOLS}). */
  public static EvalSplit of(String protocol, List<List<Interaction>> histories, double cutQuantile) {
    return switch (protocol) {
      case "leave-last-out" -> leaveLastOut(histories);
      case "temporal" -> temporal(histories, cutQuantile);
      default -> throw new IllegalArgumentException(
          "unknown protocol '" + protocol + "'; expected one of " + PROTOCOLS);
    };
  }

  /** The interaction time at quantile q of all interactions (the earliest time at or above it). */
  static long cutTime(List<List<Interaction>> histories, double q) {
    if (!(q > 0 && q < 1)) {
      throw new IllegalArgumentException("the cut quantile must lie in (0, 1), got " + q);
    }
    long[] times = histories.stream().flatMap(List::stream).mapToLong(Interaction::timestampMs).sorted().toArray();
    if (times.length == 0) {
      throw new IllegalArgumentException("no interactions to cut");
    }
    return times[(int) Math.min(times.length - 1, Math.floor(q * times.length))];
  }

  /** One of {@link #PROTOCOLS}. */
  public String protocol() {
    return protocol;
  }

  /** The protocol's parameters in words (the temporal cut), empty when it has none. */
  public String detail() {
    return detail;
  }

  public int users() {
    return train.size();
  }

  /** The training part of every user: what every model is fitted on. */
  public List<List<Interaction>> train() {
    return train;
  }

  public boolean evaluated(int user) {
    return test[user] != null;
  }

  public int evaluatedUsers() {
    return (int) Arrays.stream(test).filter(t -> t != null).count();
  }

  /** The validation interaction of a user, or null for users that are not evaluated. */
  public Interaction validation(int user) {
    return validation[user];
  }

  public Interaction test(int user) {
    return test[user];
  }

  /** What a model sees of a user when it predicts the test item: training plus validation part. */
  public List<Interaction> trainAndValidation(int user) {
    return beforeTest.get(user);
  }

  /**
   * The time of the latest training interaction: a model fitted on this split is fitted at that time
   * at the earliest, so it may read only data (e.g. item text) written until then.
   */
  public long trainingCutoffMs() {
    long t = Long.MIN_VALUE;
    for (List<Interaction> h : train) {
      for (Interaction e : h) {
        t = Math.max(t, e.timestampMs());
      }
    }
    return t;
  }

  /** Validation item per user, {@link LeaveLastOut#NONE} where there is none (training-time checks). */
  public int[] validationItems() {
    int[] out = new int[validation.length];
    for (int u = 0; u < out.length; u++) {
      out[u] = validation[u] == null ? LeaveLastOut.NONE : validation[u].itemIndex();
    }
    return out;
  }
}
