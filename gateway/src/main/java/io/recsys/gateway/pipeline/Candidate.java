package io.recsys.gateway.pipeline;

import java.util.List;

/**
 * An item on its way through the pipeline: every source that proposed it with that source's score
 * (in the order the sources are configured), and the final score once a scorer has run.
 *
 * @param itemIndex the item's row in the gateway's catalog, or -1 when the catalog does not know it
 */
public record Candidate(String itemId, int itemIndex, SourceScores sourceScores, double score) {

  public List<String> sources() {
    return sourceScores.sources();
  }

  /** The score a source gave the item, or null when that source did not propose it. */
  public Float sourceScore(String source) {
    return sourceScores.scoreOf(source);
  }

  public Candidate withScore(double newScore) {
    return new Candidate(itemId, itemIndex, sourceScores, newScore);
  }
}
