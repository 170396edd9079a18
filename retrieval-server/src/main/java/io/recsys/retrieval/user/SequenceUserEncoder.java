package io.recsys.retrieval.user;

import io.recsys.common.bundle.Manifest.SequenceSpec;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.SequenceEncoder;
import io.recsys.common.tf.SavedModelRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TInt32;

/**
 * The sequence model's encoder: the user's last items, in order, -> a unit query vector in the
 * space of the sequence model's item index. Loaded once per bundle; safe to call from many threads.
 */
public final class SequenceUserEncoder implements AutoCloseable {

  /** Logical names of the user_embedding signature (mapped to tensor names by the manifest). */
  static final String HISTORY_ITEMS_INPUT = "history_items";
  static final String EMBEDDING_OUTPUT = "embedding";

  private final SavedModelRunner model;
  private final SequenceEncoder sequence;
  private final int dim;

  private SequenceUserEncoder(SavedModelRunner model, SequenceEncoder sequence, int dim) {
    this.model = model;
    this.sequence = sequence;
    this.dim = dim;
  }

  public static SequenceUserEncoder load(Path bundleDir, SequenceSpec spec) {
    return new SequenceUserEncoder(SavedModelRunner.load(bundleDir, spec.userEmbedding()),
        new SequenceEncoder(spec.historyLength()), spec.embeddingDim());
  }

  public int dim() {
    return dim;
  }

  /**
   * @param events the user's interactions on known items, oldest first
   * @return the query vector, or null when no event names an item (the model has nothing to read)
   */
  public float[] encode(List<Interaction> events) {
    int[] items = new int[sequence.length()];
    if (sequence.encode(events, items, 0) == 0) {
      return null;
    }
    try (TInt32 history = SavedModelRunner.ints(items, 1, items.length)) {
      return model.runFloats(Map.of(HISTORY_ITEMS_INPUT, history), EMBEDDING_OUTPUT, dim);
    }
  }

  @Override
  public void close() {
    model.close();
  }
}
