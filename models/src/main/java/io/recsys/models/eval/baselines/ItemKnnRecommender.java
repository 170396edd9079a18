package io.recsys.models.eval.baselines;

import io.recsys.common.features.Interaction;
import io.recsys.models.eval.Recommender;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Item-based k-nearest neighbours: cosine similarity of items over who had them,
 * sim(i, j) = users(i and j) / sqrt(users(i) * users(j)); a user's score for item j is the sum of
 * sim(h, j) over the items h of their history, each h contributing only its {@code neighbours}
 * most similar items.
 */
public final class ItemKnnRecommender implements Recommender {

  private final int items;
  private final int[][] neighbourIds;
  private final float[][] neighbourSims;
  private final int neighbours;

  private ItemKnnRecommender(int items, int[][] ids, float[][] sims, int neighbours) {
    this.items = items;
    this.neighbourIds = ids;
    this.neighbourSims = sims;
    this.neighbours = neighbours;
  }

  /** Keeps up to {@code maxNeighbours} per item; {@link #withNeighbours} then picks fewer without refitting. */
  public static ItemKnnRecommender fit(List<List<Interaction>> train, int items, int maxNeighbours) {
    List<int[]> byUser = UserItemSets.of(train);
    int[][] byItem = UserItemSets.usersByItem(byUser, items);
    int[][] ids = new int[items][];
    float[][] sims = new float[items][];
    IntStream.range(0, items).parallel().forEach(i -> {
      int[] co = new int[items];
      for (int u : byItem[i]) {
        for (int j : byUser.get(u)) {
          co[j]++;
        }
      }
      co[i] = 0;
      Integer[] order = IntStream.range(0, items).filter(j -> co[j] > 0).boxed().toArray(Integer[]::new);
      float[] s = new float[items];
      for (int j : order) {
        s[j] = (float) (co[j] / Math.sqrt((double) byItem[i].length * byItem[j].length));
      }
      Arrays.sort(order, (a, b) -> s[a] != s[b] ? Float.compare(s[b], s[a]) : Integer.compare(a, b));
      int n = Math.min(maxNeighbours, order.length);
      ids[i] = new int[n];
      sims[i] = new float[n];
      for (int r = 0; r < n; r++) {
        ids[i][r] = order[r];
        sims[i][r] = s[order[r]];
      }
    });
    return new ItemKnnRecommender(items, ids, sims, maxNeighbours);
  }

  public ItemKnnRecommender withNeighbours(int n) {
    return new ItemKnnRecommender(items, neighbourIds, neighbourSims, n);
  }

  public int neighbours() {
    return neighbours;
  }

  @Override
  public String name() {
    return "itemknn";
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    for (int q = 0; q < queries.size(); q++) {
      float[] s = out[q];
      Arrays.fill(s, 0f);
      for (int h : UserItemSets.distinctItems(queries.get(q).history())) {
        int n = Math.min(neighbours, neighbourIds[h].length);
        for (int r = 0; r < n; r++) {
          s[neighbourIds[h][r]] += neighbourSims[h][r];
        }
      }
    }
  }
}
