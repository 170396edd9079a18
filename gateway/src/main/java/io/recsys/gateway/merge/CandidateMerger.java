package io.recsys.gateway.merge;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    Map<String, Map<String, Float>> byItem = new LinkedHashMap<>();
    for (SourceCandidates r : results) {
      for (Retrieved c : r.candidates()) {
        // a source listing an item twice keeps its first (best) score
        byItem.computeIfAbsent(c.itemId(), id -> new LinkedHashMap<>()).putIfAbsent(r.source(), c.score());
      }
    }
    List<Candidate> out = new ArrayList<>(byItem.size());
    byItem.forEach((id, sources) -> out.add(new Candidate(id, catalog.indexOf(id), sources, 0.0)));
    return out;
  }
}
