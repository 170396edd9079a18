package io.recsys.common.index;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.search.ConstantScoreScorer;
import org.apache.lucene.search.ConstantScoreWeight;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.ScorerSupplier;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.BitSetIterator;
import org.apache.lucene.util.FixedBitSet;

/**
 * Matches a given set of documents: the filter of a filtered kNN search, built from the item
 * indices a request allows. The item index is already in every document's doc values, so this
 * works on every bundle's index without a category field (no rebuild), and it costs one pass over
 * the allowed items rather than over the whole index.
 */
final class DocSetQuery extends Query {

  /** Per leaf, the allowed documents (leaf-local ids); null where a leaf has none. */
  private final FixedBitSet[] perLeaf;
  private final int[] counts;

  /** @param globalDocs allowed documents, top-level doc ids of {@code leaves}' reader */
  DocSetQuery(List<LeafReaderContext> leaves, int[] globalDocs) {
    this.perLeaf = new FixedBitSet[leaves.size()];
    this.counts = new int[leaves.size()];
    for (int doc : globalDocs) {
      int leaf = ReaderUtil.subIndex(doc, leaves);
      LeafReaderContext ctx = leaves.get(leaf);
      if (perLeaf[leaf] == null) {
        perLeaf[leaf] = new FixedBitSet(ctx.reader().maxDoc());
      }
      perLeaf[leaf].set(doc - ctx.docBase);
      counts[leaf]++;
    }
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    return new ConstantScoreWeight(this, boost) {
      @Override
      public ScorerSupplier scorerSupplier(LeafReaderContext context) throws IOException {
        FixedBitSet docs = perLeaf[context.ord];
        if (docs == null) {
          return null;
        }
        return new DefaultScorerSupplier(new ConstantScoreScorer(score(), scoreMode,
            new BitSetIterator(docs, counts[context.ord])));
      }

      @Override
      public boolean isCacheable(LeafReaderContext ctx) {
        // one request's set: caching it would only fill the cache
        return false;
      }
    };
  }

  @Override
  public String toString(String field) {
    return "DocSetQuery(" + java.util.Arrays.stream(counts).sum() + " docs)";
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public boolean equals(Object other) {
    return this == other;
  }

  @Override
  public int hashCode() {
    return System.identityHashCode(this);
  }
}
