package io.recsys.models.eval.baselines;

import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.features.Interaction;
import io.recsys.models.eval.Recommender;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * EASE (Steck, 2019): an item-item weight matrix B with zero diagonal that best reconstructs the
 * binary user-item matrix X, in closed form: P = (X^T X + lambda I)^-1, B[i][j] = -P[i][j] / P[j][j].
 * A user's scores are x_u B. Only items with training interactions take part (for the others the
 * solution is exactly zero), which keeps the dense n x n inversion as small as the data allows.
 *
 * <p>The recency-weighted variant ({@link #withRecency}) scores with a weighted x_u instead, history
 * item h weighing decay^(age of h), age 0 being the newest: the same B, fitted once per lambda.
 */
public final class EaseRecommender implements Recommender {

  private final double lambda;
  private final int[] denseOf;
  private final int[] itemOf;
  private final float[][] weights;
  private final String name;
  private final double decay;

  private EaseRecommender(double lambda, int[] denseOf, int[] itemOf, float[][] weights, String name,
                          double decay) {
    this.lambda = lambda;
    this.denseOf = denseOf;
    this.itemOf = itemOf;
    this.weights = weights;
    this.name = name;
    this.decay = decay;
  }

  /** The Gram matrix X^T X over the active items, computed once and reused for every lambda. */
  public static final class Gram {
    final int[] denseOf;
    final int[] itemOf;
    final int[][] counts;

    public Gram(List<List<Interaction>> train, int items) {
      this(train, items, 1, Integer.MAX_VALUE);
    }

    /**
     * Over the at most {@code maxItems} items that most users had, each had by at least
     * {@code minUsers}: the inversion costs n^3, and an item few users had gets a row that is mostly
     * the ridge, i.e. about nothing to recommend from.
     */
    public Gram(List<List<Interaction>> train, int items, int minUsers, int maxItems) {
      List<int[]> byUser = UserItemSets.of(train);
      boolean[] kept = keptItems(byUser, items, minUsers, maxItems);
      denseOf = new int[items];
      Arrays.fill(denseOf, -1);
      int n = 0;
      for (int[] its : byUser) {
        for (int i : its) {
          if (denseOf[i] < 0 && kept[i]) {
            denseOf[i] = n++;
          }
        }
      }
      itemOf = new int[n];
      for (int i = 0; i < items; i++) {
        if (denseOf[i] >= 0) {
          itemOf[denseOf[i]] = i;
        }
      }
      counts = new int[n][n];
      for (int[] its : byUser) {
        for (int a : its) {
          if (denseOf[a] < 0) {
            continue;
          }
          int[] row = counts[denseOf[a]];
          for (int b : its) {
            if (denseOf[b] >= 0) {
              row[denseOf[b]]++;
            }
          }
        }
      }
    }

    private static boolean[] keptItems(List<int[]> byUser, int items, int minUsers, int maxItems) {
      int[] users = new int[items];
      for (int[] its : byUser) {
        for (int i : its) {
          users[i]++;
        }
      }
      boolean[] kept = new boolean[items];
      IntStream.range(0, items).filter(i -> users[i] >= minUsers).boxed()
          .sorted((a, b) -> users[a] != users[b] ? Integer.compare(users[b], users[a]) : Integer.compare(a, b))
          .limit(maxItems)
          .forEach(i -> kept[i] = true);
      return kept;
    }

    public int size() {
      return itemOf.length;
    }
  }

  public static EaseRecommender fit(Gram g, double lambda, int threads) {
    int n = g.size();
    double[][] p = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        p[i][j] = g.counts[i][j];
      }
      p[i][i] += lambda;
    }
    SpdInverse.invert(p, threads);
    double[] diag = new double[n];
    for (int j = 0; j < n; j++) {
      diag[j] = p[j][j];
    }
    float[][] b = new float[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        b[i][j] = i == j ? 0f : (float) (-p[i][j] / diag[j]);
      }
      p[i] = null; // let the float64 rows go as soon as they are used
    }
    return new EaseRecommender(lambda, g.denseOf, g.itemOf, b, "ease", 1);
  }

  /** The same weights with history items weighed by recency: the model "ease_recency". */
  public EaseRecommender withRecency(double decay) {
    return new EaseRecommender(lambda, denseOf, itemOf, weights, "ease_recency", decay);
  }

  /**
   * Each fitted item's row of B cut to its {@code maxNeighbours} largest positive weights, in the
   * catalog's item indices (items outside the fit have no list): the item2item source's lists with
   * EASE's weights, which score x_u B over the kept weights.
   */
  public ItemNeighbours neighbourLists(int maxNeighbours) {
    int[][] ids = new int[denseOf.length][];
    float[][] w = new float[denseOf.length][];
    Arrays.fill(ids, new int[0]);
    Arrays.fill(w, new float[0]);
    IntStream.range(0, itemOf.length).parallel().forEach(d -> {
      float[] row = weights[d];
      int[] order = IntStream.range(0, row.length).filter(j -> row[j] > 0).boxed()
          .sorted((a, b) -> row[a] != row[b] ? Float.compare(row[b], row[a]) : Integer.compare(itemOf[a], itemOf[b]))
          .limit(maxNeighbours)
          .mapToInt(Integer::intValue)
          .toArray();
      int item = itemOf[d];
      ids[item] = new int[order.length];
      w[item] = new float[order.length];
      for (int r = 0; r < order.length; r++) {
        ids[item][r] = itemOf[order[r]];
        w[item][r] = row[order[r]];
      }
    });
    return new ItemNeighbours(ids, w, 1);
  }

  public double lambda() {
    return lambda;
  }

  public double decay() {
    return decay;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    float[] dense = new float[itemOf.length];
    for (int q = 0; q < queries.size(); q++) {
      Arrays.fill(dense, 0f);
      UserItemSets.WeightedItems history = UserItemSets.byRecency(queries.get(q).history(), decay);
      for (int a = 0; a < history.items().length; a++) {
        int d = denseOf[history.items()[a]];
        if (d < 0) {
          continue;
        }
        float w = history.weights()[a];
        float[] row = weights[d];
        for (int j = 0; j < dense.length; j++) {
          dense[j] += w * row[j];
        }
      }
      float[] s = out[q];
      Arrays.fill(s, 0f); // the exact solution for items without training interactions
      for (int j = 0; j < dense.length; j++) {
        s[itemOf[j]] = dense[j];
      }
    }
  }
}
