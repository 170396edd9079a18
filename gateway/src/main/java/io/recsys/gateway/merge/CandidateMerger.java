package io.recsys.gateway.merge;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import io.recsys.gateway.pipeline.SourceScores;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 3: one candidate per item, however many sources proposed it, keeping every source and its
 * score (the ranker uses which sources proposed an item as a feature). Items appear in the order
 * they were first proposed, sources in the order given.
 */
public final class CandidateMerger {

  /** What one source answered. */
  public record SourceCandidates(String source, List<Retrieved> candidates) {}

  private final ItemCatalog catalog;

  public CandidateMerger(ItemCatalog catalog) {
    this.catalog = catalog;
  }

  public List<Candidate> merge(List<SourceCandidates> results) {
    int total = 0;
    for (SourceCandidates r : results) {
      total += r.candidates().size();
    }
    // item id -> its position in out
    Map<String, Integer> position = new HashMap<>(total * 2);
    List<Candidate> out = new ArrayList<>(total);
    for (SourceCandidates r : results) {
      for (Retrieved c : r.candidates()) {
        Integer at = position.putIfAbsent(c.itemId(), out.size());
        if (at == null) {
          out.add(new Candidate(c.itemId(), catalog.indexOf(c.itemId()), SourceScores.of(r.source(), c.score()), 0.0));
        } else {
          // a source listing an item twice keeps its first (best) score
          Candidate seen = out.get(at);
          out.set(at, new Candidate(seen.itemId(), seen.itemIndex(), seen.sourceScores().with(r.source(), c.score()), 0.0));
        }
      }
    }
    return out;
  }
}
