package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest.SignatureSpec;
import io.recsys.common.catalog.ItemContentEncoder;
import io.recsys.common.features.ItemText;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.common.tf.TfRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.SessionFunction;
import org.tensorflow.Signature;
import org.tensorflow.framework.optimizers.Adam;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The two-tower retrieval model, trained in TensorFlow Java.
 *
 * <p>Item tower: item-id embedding + category embedding + the mean embedding of the item's hashed
 * text tokens ({@link ItemText}; a constant table in the graph, so the signatures stay item index +
 * category index), projected and L2-normalised. A third signature, {@code item_content_embedding}
 * ({@link ItemContentEncoder}), embeds an item the model has never seen from its content alone
 * (category + text tokens, the id part zero): the live catalog's new items. User tower:
 * user-id embedding and the recency-weighted mean of the item-tower vectors of the recent history,
 * through a ReLU layer with a residual connection from the history mean, L2-normalised. Trained with
 * a sampled softmax over in-batch negatives with logQ (popularity) correction and a temperature.
 */
public final class TwoTowerModel implements AutoCloseable {

  public static final SignatureSpec USER_SIGNATURE = new SignatureSpec("two_tower", "user_embedding",
      Map.of("user_index", "user_index", "history_items", "history_items",
          "history_weights", "history_weights"),
      Map.of("embedding", "embedding"));
  public static final SignatureSpec ITEM_SIGNATURE = new SignatureSpec("two_tower", "item_embedding",
      Map.of("item_index", "item_index", "category_index", "category_index"),
      Map.of("embedding", "embedding"));

  /** Share of training targets whose id embedding is dropped (see the training graph). */
  static final float ITEM_ID_DROPOUT = 0.5f;
  static final int TEXT_BUCKETS = ItemText.TEXT_BUCKETS;
  static final int MAX_TOKENS = ItemText.MAX_TOKENS;

  private final TwoTowerConfig cfg;
  private final int items;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> userIdx;
  private final Placeholder<TInt32> histItems;
  private final Placeholder<TFloat32> histWeights;
  private final Placeholder<TInt32> itemIdx;
  private final Placeholder<TInt32> itemCat;
  private final Placeholder<TInt32> contentCat;
  private final Placeholder<TInt32> contentTokens;
  private final Placeholder<TFloat32> contentWeights;
  private final Operand<TFloat32> contentVec;
  private final Placeholder<TInt32> targets;
  private final Operand<TFloat32> userVec;
  private final Operand<TFloat32> itemVec;
  private final Operand<TFloat32> loss;
  private final Op trainOp;
  private final WeightAverage average;

  public TwoTowerModel(TwoTowerConfig cfg, ItemCatalog catalog, int userSlots, float[] itemCounts) {
    this.cfg = cfg;
    this.items = catalog.size();
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    Layers layers = new Layers(tf, cfg.seed());
    int d = cfg.dim();
    int l = cfg.historyLength();

    int[] catOf = new int[items];
    for (int i = 0; i < items; i++) {
      catOf[i] = catalog.categoryIndex(i);
    }
    float total = 0f;
    for (float c : itemCounts) {
      total += c;
    }
    float[] logQ = new float[items];
    for (int i = 0; i < items; i++) {
      logQ[i] = (float) Math.log((itemCounts[i] + 1f) / (total + items));
    }
    Operand<TInt32> categoryTable = tf.constant(catOf);
    ItemText.Tokens text = ItemText.of(catalog, TEXT_BUCKETS, MAX_TOKENS);
    Operand<TInt32> tokenTable = tf.constant(text.ids());
    Operand<TFloat32> tokenWeightTable = tf.constant(text.weights());
    Operand<TFloat32> logQTable = tf.constant(logQ);

    Variable<TFloat32> userEmb = layers.weight(userSlots, d, 0.05f);
    // small item-id init: an item without interactions (cold) is represented by its category
    Variable<TFloat32> itemEmb = layers.weight(items, d, 0.01f);
    Variable<TFloat32> catEmb = layers.weight(catalog.categorySlots(), d, 0.1f);
    Variable<TFloat32> tokenEmb = layers.weight(TEXT_BUCKETS, d, 0.01f);
    Variable<TFloat32> wItem = layers.dense(3L * d, d);
    Variable<TFloat32> bItem = layers.zeros(d);
    Variable<TFloat32> w1 = layers.dense(2L * d, cfg.hidden());
    Variable<TFloat32> b1 = layers.zeros(cfg.hidden());
    Variable<TFloat32> w2 = layers.dense(cfg.hidden(), d);
    Variable<TFloat32> b2 = layers.zeros(d);

    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TInt32> axis1 = tf.constant(1);

    // item tower over any int32 tensor of item indices with matching category indices, flattened
    itemIdx = tf.withName("item_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    itemCat = tf.withName("category_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    ContentTower content = (idVec, cat, tokens, weights) -> {
      Operand<TFloat32> words = tf.reduceSum(tf.math.mul(tf.gather(tokenEmb, tokens, axis0),
          tf.expandDims(weights, tf.constant(2))), axis1);
      return layers.l2Normalize(layers.affine(tf.concat(List.of(idVec == null
          ? tf.zerosLike(tf.gather(catEmb, cat, axis0)) : idVec,
          tf.gather(catEmb, cat, axis0), words), axis1), wItem, bItem));
    };
    ItemTower tower = (idx, cat) -> content.apply(tf.gather(itemEmb, idx, axis0), cat,
        tf.gather(tokenTable, idx, axis0), tf.gather(tokenWeightTable, idx, axis0));
    itemVec = tf.withName("item_embedding_out").identity(tower.apply(itemIdx, itemCat));
    // a new item has no trained id row: its id part is zero, as for an item never seen in training
    contentCat = tf.withName("content_category_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    contentTokens = tf.withName("content_text_tokens").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, MAX_TOKENS)));
    contentWeights = tf.withName("content_text_weights").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, MAX_TOKENS)));
    contentVec = tf.withName("item_content_embedding_out").identity(
        content.apply(null, contentCat, contentTokens, contentWeights));

    userIdx = tf.withName("user_index").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    histItems = tf.withName("history_items").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, l)));
    histWeights = tf.withName("history_weights").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, l)));
    Operand<TInt32> flatHist = tf.reshape(histItems, tf.constant(new int[] {-1}));
    Operand<TFloat32> histVecs = tf.reshape(
        tower.apply(flatHist, tf.gather(categoryTable, flatHist, axis0)), tf.constant(new int[] {-1, l, d}));
    Operand<TFloat32> histMean = tf.reduceSum(
        tf.math.mul(histVecs, tf.expandDims(histWeights, tf.constant(2))), axis1);
    Operand<TFloat32> userIn = tf.concat(List.of(tf.gather(userEmb, userIdx, axis0), histMean), axis1);
    Operand<TFloat32> hidden = tf.nn.relu(layers.affine(userIn, w1, b1));
    userVec = tf.withName("user_embedding_out").identity(
        layers.l2Normalize(tf.math.add(layers.affine(hidden, w2, b2), histMean)));

    // in-batch sampled softmax: the other targets of the batch are the negatives
    targets = tf.withName("train_targets").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    // item-id dropout: some targets are embedded from their content alone, as a live catalog item
    // is at serving time (item_content_embedding), so that path lands near the items it resembles
    Operand<TFloat32> keepId = tf.dtypes.cast(tf.math.greaterEqual(
        tf.random.randomUniform(tf.shape(targets), TFloat32.class,
            org.tensorflow.op.random.RandomUniform.seed(cfg.seed())),
        tf.constant(ITEM_ID_DROPOUT)), TFloat32.class);
    Operand<TFloat32> targetVecs = content.apply(
        tf.math.mul(tf.gather(itemEmb, targets, axis0), tf.expandDims(keepId, axis1)),
        tf.gather(categoryTable, targets, axis0), tf.gather(tokenTable, targets, axis0),
        tf.gather(tokenWeightTable, targets, axis0));
    Operand<TFloat32> logits = tf.math.sub(
        tf.math.div(tf.linalg.matMul(userVec, targetVecs, org.tensorflow.op.linalg.MatMul.transposeB(true)),
            tf.constant(cfg.temperature())),
        tf.expandDims(tf.gather(logQTable, targets, axis0), axis0));
    Operand<TInt32> batch = tf.gather(tf.shape(targets), tf.constant(0), axis0);
    Operand<TFloat32> labels = tf.oneHot(tf.range(tf.constant(0), batch, tf.constant(1)), batch,
        tf.constant(1f), tf.constant(0f));
    loss = tf.math.mean(tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss(), axis0);
    trainOp = new Adam(graph, cfg.learningRate()).minimize(loss);
    average = new WeightAverage(tf, layers, List.of(userEmb, itemEmb, catEmb, tokenEmb, wItem, bItem, w1, b1, w2, b2));

    session = new Session(graph, TfRuntime.sessionConfig());
    session.initialize();
    average.begin(session);
  }

  @FunctionalInterface
  private interface ContentTower {
    /** @param idVec the item-id embedding rows, or null for none (zero) */
    Operand<TFloat32> apply(Operand<TFloat32> idVec, Operand<TInt32> cat, Operand<TInt32> tokens,
                            Operand<TFloat32> weights);
  }

  @FunctionalInterface
  private interface ItemTower {
    Operand<TFloat32> apply(Operand<TInt32> idx, Operand<TInt32> cat);
  }

  /**
   * One epoch over shuffled examples; returns the mean loss. The model then holds the moving
   * average of its weights ({@link WeightAverage}) until the next epoch.
   */
  public float trainEpoch(NextItemExamples ex, Random rnd) {
    average.useRaw(session);
    int b = cfg.batchSize();
    int l = cfg.historyLength();
    int[] order = RankerModel.shuffled(ex.count(), rnd);
    int[] u = new int[b];
    int[] hi = new int[b * l];
    float[] hw = new float[b * l];
    int[] tg = new int[b];
    double sum = 0;
    int steps = 0;
    for (int start = 0; start + b <= order.length; start += b) {
      for (int k = 0; k < b; k++) {
        int e = order[start + k];
        u[k] = rnd.nextFloat() < cfg.userDropout() ? 0 : ex.users()[e];
        System.arraycopy(ex.histItems(), e * l, hi, k * l, l);
        System.arraycopy(ex.histWeights(), e * l, hw, k * l, l);
        tg[k] = ex.targets()[e];
      }
      try (TInt32 tu = SavedModelRunner.ints(u, b);
           TInt32 th = SavedModelRunner.ints(hi, b, l);
           TFloat32 tw = SavedModelRunner.floats(hw, b, l);
           TInt32 tt = SavedModelRunner.ints(tg, b);
           Result r = session.runner().feed(userIdx, tu).feed(histItems, th).feed(histWeights, tw)
               .feed(targets, tt).addTarget(trainOp).fetch(loss).run()) {
        sum += ((TFloat32) r.get(0)).getFloat();
        steps++;
      }
      average.step(session, order.length / b);
    }
    average.useAverages(session);
    return steps == 0 ? Float.NaN : (float) (sum / steps);
  }

  /** Item-tower vectors of every catalog item (row i = item index i). */
  public EmbeddingMatrix itemEmbeddings(ItemCatalog catalog) {
    int d = cfg.dim();
    float[] out = new float[items * d];
    int chunk = 4096;
    for (int start = 0; start < items; start += chunk) {
      int n = Math.min(chunk, items - start);
      int[] idx = new int[n];
      int[] cat = new int[n];
      for (int k = 0; k < n; k++) {
        idx[k] = start + k;
        cat[k] = catalog.categoryIndex(start + k);
      }
      try (TInt32 ti = SavedModelRunner.ints(idx, n);
           TInt32 tc = SavedModelRunner.ints(cat, n);
           Result r = session.runner().feed(itemIdx, ti).feed(itemCat, tc).fetch(itemVec).run()) {
        ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false).offset((long) start * d));
      }
    }
    return new EmbeddingMatrix(items, d, out);
  }

  /**
   * Content-only vectors of every catalog item (row i = item index i): the item_content_embedding
   * path, the id part zero, as an item the model never trained on is embedded.
   */
  public EmbeddingMatrix contentEmbeddings(ItemCatalog catalog) {
    int d = cfg.dim();
    int n = catalog.size();
    ItemText.Tokens text = ItemText.of(catalog, TEXT_BUCKETS, MAX_TOKENS);
    int[] cat = new int[n];
    int[] tokens = new int[n * MAX_TOKENS];
    float[] weights = new float[n * MAX_TOKENS];
    for (int i = 0; i < n; i++) {
      cat[i] = catalog.categoryIndex(i);
      System.arraycopy(text.ids()[i], 0, tokens, i * MAX_TOKENS, MAX_TOKENS);
      System.arraycopy(text.weights()[i], 0, weights, i * MAX_TOKENS, MAX_TOKENS);
    }
    float[] out = new float[n * d];
    try (TInt32 tc = SavedModelRunner.ints(cat, n);
         TInt32 tt = SavedModelRunner.ints(tokens, n, MAX_TOKENS);
         TFloat32 tw = SavedModelRunner.floats(weights, n, MAX_TOKENS);
         Result r = session.runner().feed(contentCat, tc).feed(contentTokens, tt).feed(contentWeights, tw)
             .fetch(contentVec).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return new EmbeddingMatrix(n, d, out);
  }

  /** User-tower vectors for n users (n x dim, row-major). */
  public float[] userEmbeddings(int[] users, int[] hist, float[] weights) {
    int n = users.length;
    int l = cfg.historyLength();
    float[] out = new float[n * cfg.dim()];
    try (TInt32 tu = SavedModelRunner.ints(users, n);
         TInt32 th = SavedModelRunner.ints(hist, n, l);
         TFloat32 tw = SavedModelRunner.floats(weights, n, l);
         Result r = session.runner().feed(userIdx, tu).feed(histItems, th).feed(histWeights, tw)
             .fetch(userVec).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /** Writes the SavedModel with the user_embedding, item_embedding and item_content_embedding signatures. */
  public void export(Path dir) throws IOException {
    Signature user = Signature.builder().key(USER_SIGNATURE.signature())
        .input("user_index", userIdx).input("history_items", histItems)
        .input("history_weights", histWeights).output("embedding", userVec).build();
    Signature item = Signature.builder().key(ITEM_SIGNATURE.signature())
        .input("item_index", itemIdx).input("category_index", itemCat)
        .output("embedding", itemVec).build();
    SignatureSpec contentSpec = ItemContentEncoder.SIGNATURE;
    Signature content = Signature.builder().key(contentSpec.signature())
        .input(contentSpec.input(ItemContentEncoder.CATEGORY_INPUT), contentCat)
        .input(contentSpec.input(ItemContentEncoder.TOKENS_INPUT), contentTokens)
        .input(contentSpec.input(ItemContentEncoder.WEIGHTS_INPUT), contentWeights)
        .output(contentSpec.output(ItemContentEncoder.EMBEDDING_OUTPUT), contentVec).build();
    SavedModelBundle.exporter(dir.toString())
        .withFunctions(SessionFunction.create(user, session), SessionFunction.create(item, session),
            SessionFunction.create(content, session))
        .export();
  }

  /** Writes every variable (weights and optimizer state) to a checkpoint. */
  public void saveWeights(Path prefix) {
    session.save(prefix.toString());
  }

  /** Sets every variable back to a checkpoint written by {@link #saveWeights}. */
  public void restoreWeights(Path prefix) {
    session.restore(prefix.toString());
    average.forgetRaw();
  }

  public TwoTowerConfig config() {
    return cfg;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }

}
