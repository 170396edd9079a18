package io.recsys.gateway.rerank;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.CandidateSources;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.pipeline.Reranker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Places items added since training (the live catalog), which the ranker cannot judge: it never
 * saw their id, and in its training data an item without interactions never had a positive, so it
 * scores every new item near zero.
 *
 * <ol>
 *   <li>A new item takes the ranker's score of the known candidate whose two-tower score is
 *       nearest to its own (or keeps its own if higher): where retrieval places it among known items.
 *   <li>Exploration: up to {@link #NEW_ITEM_SHARE} of the top k go to new items that retrieval
 *       finds at least as close to the user as the median known candidate, best first, at the end
 *       of the top k, so a new item can reach users before it has the interactions to rank on.
 * </ol>
 * A new item the two-tower source did not propose keeps its score.
 */
public final class NewItemPlacement implements Reranker {

  /** Share of the top k that new items may be promoted into (at least one slot). */
  static final double NEW_ITEM_SHARE = 0.1;

  private final ItemCatalog catalog;

  public NewItemPlacement(ItemCatalog catalog) {
    this.catalog = catalog;
  }

  @Override
  public String name() {
    return "new_items";
  }

  @Override
  public List<Candidate> rerank(RecommendQuery query, List<Candidate> ranked) {
    List<Candidate> known = new ArrayList<>();
    boolean anyNew = false;
    for (Candidate c : ranked) {
      if (isNew(c)) {
        anyNew = true;
      } else if (twoTower(c) != null) {
        known.add(c);
      }
    }
    if (!anyNew || known.isEmpty()) {
      return ranked;
    }
    known.sort(Comparator.comparingDouble(this::twoTower));
    List<Candidate> scored = new ArrayList<>(ranked.size());
    for (Candidate c : ranked) {
      scored.add(isNew(c) && twoTower(c) != null ? c.withScore(Math.max(c.score(), nearest(known, twoTower(c)).score())) : c);
    }
    scored.sort(Comparator.comparingDouble(Candidate::score).reversed());
    return promote(scored, query.k(), twoTower(known.get(known.size() / 2)));
  }

  /** Moves new items close enough to the user into the last slots of the top k. */
  private List<Candidate> promote(List<Candidate> scored, int k, float medianKnown) {
    int top = Math.min(k, scored.size());
    int slots = (int) Math.ceil(NEW_ITEM_SHARE * top);
    for (Candidate c : scored.subList(0, top)) {
      slots -= isNew(c) ? 1 : 0;
    }
    List<Candidate> promoted = new ArrayList<>();
    for (Candidate c : scored.subList(top, scored.size())) {
      if (promoted.size() < slots && isNew(c) && twoTower(c) != null && twoTower(c) >= medianKnown) {
        promoted.add(c);
      }
    }
    if (promoted.isEmpty()) {
      return scored;
    }
    List<Candidate> rest = new ArrayList<>(scored);
    rest.removeAll(promoted);
    List<Candidate> out = new ArrayList<>(rest.subList(0, top - promoted.size()));
    out.addAll(promoted);
    out.addAll(rest.subList(top - promoted.size(), rest.size()));
    return out;
  }

  /** The known candidate whose two-tower score is nearest; {@code known} is sorted by it. */
  private Candidate nearest(List<Candidate> known, float score) {
    Candidate best = known.get(0);
    for (Candidate c : known) {
      if (Math.abs(twoTower(c) - score) < Math.abs(twoTower(best) - score)) {
        best = c;
      }
    }
    return best;
  }

  private Float twoTower(Candidate c) {
    return c.sourceScore(CandidateSources.TWO_TOWER);
  }

  private boolean isNew(Candidate c) {
    return c.itemIndex() >= catalog.bundleSize();
  }
}
