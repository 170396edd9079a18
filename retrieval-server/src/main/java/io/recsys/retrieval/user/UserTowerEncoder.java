package io.recsys.retrieval.user;

import io.recsys.common.bundle.Manifest;
import io.recsys.common.features.HistoryEncoder;
import io.recsys.common.features.Interaction;
import io.recsys.common.tf.SavedModelRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The two-tower model's user side: (user index, recent history) -> an L2-normalised query vector
 * in the item embedding space. Loaded once per bundle; safe to call from many threads.
 */
public final class UserTowerEncoder implements AutoCloseable {

  /** Logical names of the user_embedding signature (mapped to tensor names by the manifest). */
  static final String USER_INPUT = "user_index";
  static final String HISTORY_ITEMS_INPUT = "history_items";
  static final String HISTORY_WEIGHTS_INPUT = "history_weights";
  static final String EMBEDDING_OUTPUT = "embedding";

  private final SavedModelRunner tower;
  private final HistoryEncoder history;
  private final int dim;

  private UserTowerEncoder(SavedModelRunner tower, HistoryEncoder history, int dim) {
    this.tower = tower;
    this.history = history;
    this.dim = dim;
  }

  public static UserTowerEncoder load(Path bundleDir, Manifest manifest) {
    return new UserTowerEncoder(SavedModelRunner.load(bundleDir, manifest.userTower()),
        new HistoryEncoder(manifest.historyLength()), manifest.embeddingDim());
  }

  public int dim() {
    return dim;
  }

  /** @param events the user's interactions on known items, oldest first */
  public float[] encode(int userIndex, List<Interaction> events) {
    int length = history.length();
    int[] items = new int[length];
    float[] weights = new float[length];
    history.encode(events, items, weights, 0);
    try (TInt32 user = SavedModelRunner.ints(new int[] {userIndex}, 1);
         TInt32 historyItems = SavedModelRunner.ints(items, 1, length);
         TFloat32 historyWeights = SavedModelRunner.floats(weights, 1, length)) {
      return tower.runFloats(Map.of(USER_INPUT, user, HISTORY_ITEMS_INPUT, historyItems,
          HISTORY_WEIGHTS_INPUT, historyWeights), EMBEDDING_OUTPUT, dim);
    }
  }

  @Override
  public void close() {
    tower.close();
  }
}
