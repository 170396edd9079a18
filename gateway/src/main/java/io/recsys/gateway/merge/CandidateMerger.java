package io.recsys.gateway.merge;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.candidates.MergedCandidates;
import io.recsys.common.candidates.MergedCandidates.SourceList;
import io.recsys.gateway.pipeline.Candidate;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import io.recsys.gateway.pipeline.SourceScores;
import java.util.ArrayList;
import java.util.List;

/**
 * Stage 3: one candidate per item, however many sources proposed it, keeping every source and its
 * score (the ranker's features include each source's score and rank). The merge itself is
 * {@link MergedCandidates#merge}, the code the ranker's training and the offline evaluation merge
 * their candidates with: items in the order they were first proposed, sources in the order given.
 */
public final class CandidateMerger {

  /** What one source answered. */
  public record SourceCandidates(String source, List<Retrieved> candidates) {}

  private final ItemCatalog catalog;

  public CandidateMerger(ItemCatalog catalog) {
    this.catalog = catalog;
  }

  public List<Candidate> merge(List<SourceCandidates> results) {
    List<SourceList> lists = new ArrayList<>(results.size());
    for (SourceCandidates r : results) {
      int n = r.candidates().size();
      String[] ids = new String[n];
      float[] scores = new float[n];
      for (int i = 0; i < n; i++) {
        ids[i] = r.candidates().get(i).itemId();
        scores[i] = r.candidates().get(i).score();
      }
      lists.add(new SourceList(r.source(), ids, scores));
    }
    MergedCandidates merged = MergedCandidates.merge(catalog, lists);
    List<float[]> columns = new ArrayList<>();
    for (String source : merged.sources()) {
      columns.add(merged.column(source));
    }
    List<Candidate> out = new ArrayList<>(merged.size());
    for (int i = 0; i < merged.size(); i++) {
      SourceScores scores = SourceScores.NONE;
      for (int s = 0; s < columns.size(); s++) {
        float v = columns.get(s)[i];
        if (!Float.isNaN(v)) {
          scores = scores.with(merged.sources().get(s), v);
        }
      }
      out.add(new Candidate(merged.itemId(i), merged.itemIndex(i), scores, 0.0));
    }
    return out;
  }
}
