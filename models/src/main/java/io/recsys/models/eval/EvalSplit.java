package io.recsys.models.eval;

import io.recsys.common.features.Interaction;
import io.recsys.models.train.LeaveLastOut;
import java.util.ArrayList;
import java.util.List;

/**
 * The leave-last-out protocol: per user (interactions oldest first, ties in file order) the last
 * interaction is the test item, the second to last the validation item, the rest is training.
 * Users with fewer than 3 interactions stay entirely in training and are not evaluated.
 */
public final class EvalSplit {

  public static final String PROTOCOL = "leave-last-out";

  private final List<List<Interaction>> histories;
  private final List<List<Interaction>> train;
  private final Interaction[] validation;
  private final Interaction[] test;

  private EvalSplit(List<List<Interaction>> histories) {
    this.histories = histories;
    this.train = new ArrayList<>(histories.size());
    this.validation = new Interaction[histories.size()];
    this.test = new Interaction[histories.size()];
    for (int u = 0; u < histories.size(); u++) {
      List<Interaction> h = histories.get(u);
      if (h.size() < 3) {
        train.add(h);
      } else {
        train.add(h.subList(0, h.size() - 2));
        validation[u] = h.get(h.size() - 2);
        test[u] = h.get(h.size() - 1);
      }
    }
  }

  /** @param histories per user, oldest first (as {@link io.recsys.models.data.Dataset} keeps them) */
  public static EvalSplit leaveLastOut(List<List<Interaction>> histories) {
    return new EvalSplit(histories);
  }

  public int users() {
    return histories.size();
  }

  /** The training part of every user: what every model is fitted on. */
  public List<List<Interaction>> train() {
    return train;
  }

  public boolean evaluated(int user) {
    return test[user] != null;
  }

  public int evaluatedUsers() {
    int n = 0;
    for (Interaction t : test) {
      n += t == null ? 0 : 1;
    }
    return n;
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
    List<Interaction> h = histories.get(user);
    return test[user] == null ? h : h.subList(0, h.size() - 1);
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
