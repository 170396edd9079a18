package io.recsys.models.eval.baselines;

import io.recsys.common.bundle.ItemNeighbours;
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
 *
 * <p>The protocol holds out each user's latest interaction, which rewards recency; the
 * recency-weighted variant ({@link #withRecency}) weighs history item h by decay^(age of h), age 0
 * being the newest, so the last few items decide the neighbourhood.
 */
public final class ItemKnnRecommender implements Recommender {

  /** The fitted lists (up to the fit's maximum length) with this model's decay. */
  private final ItemNeighbours lists;
  private final int neighbours;
  private final String name;

  private ItemKnnRecommender(ItemNeighbours lists, int neighbours, String name) {
    this.lists = lists;
    this.neighbours = neighbours;
    this.name = name;
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
    return new ItemKnnRecommender(new ItemNeighbours(ids, sims, 1), maxNeighbours, "itemknn");
  }

  /**
   * The model "item2item": exported lists (a bundle's {@link io.recsys.common.bundle.BundleLayout#item2item})
   * scored with all their neighbours and their decay, i.e. the served item2item source.
   */
  public static ItemKnnRecommender fromLists(ItemNeighbours lists) {
    return new ItemKnnRecommender(lists, lists.maxNeighbours(), "item2item");
  }

  public ItemKnnRecommender withNeighbours(int n) {
    return new ItemKnnRecommender(lists, n, name);
  }

  /** The same similarities with history items weighed by recency: the model "itemknn_recency". */
  public ItemKnnRecommender withRecency(double decay) {
    return new ItemKnnRecommender(lists.withDecay(decay), neighbours, "itemknn_recency");
  }

  /**
   * This model as lists cut to its {@link #neighbours} per item: what a bundle ships for the
   * item2item source, which then scores exactly as this model does.
   */
  public ItemNeighbours neighbourLists() {
    return lists.truncated(neighbours);
  }

  public int neighbours() {
    return neighbours;
  }

  public double decay() {
    return lists.decay();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void score(List<Query> queries, float[][] out) {
    for (int q = 0; q < queries.size(); q++) {
      float[] s = out[q];
      Arrays.fill(s, 0f);
      lists.accumulate(queries.get(q).history(), neighbours, (item, score) -> s[item] += score);
    }
  }
}
