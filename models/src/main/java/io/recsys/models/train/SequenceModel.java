package io.recsys.models.train;

import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.Manifest.SignatureSpec;
import io.recsys.common.features.Interaction;
import io.recsys.common.features.SequenceEncoder;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.common.tf.TfRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.IntStream;
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
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.core.Variable;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.train.BatchMatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * A SASRec-style sequence model, trained in TensorFlow Java: the user's last L items (item
 * embedding + learned position embedding, left-padded, the pad masked) go through causal
 * self-attention blocks (pre-norm: layer norm, single-head attention, point-wise feed-forward,
 * residuals, dropout while training only); the last position's hidden state, L2-normalised, is
 * the user vector. Items are scored with the same embedding table (shared input and output
 * embeddings, as SASRec), L2-normalised, so a dot product is a cosine and the vectors go into the
 * same kind of HNSW index as the two-tower's. Trained on next-item prediction at every position
 * with a sampled softmax: negatives drawn by popularity, shared by the batch, logQ-corrected; when
 * the config's negatives are at least the catalog, the full softmax over every item instead.
 */
public final class SequenceModel implements AutoCloseable {

  public static final SignatureSpec USER_SIGNATURE = new SignatureSpec("sequence/model", "user_embedding",
      Map.of("history_items", "history_items"), Map.of("embedding", "embedding"));

  private final SequenceConfig cfg;
  private final int items;
  private final double[] cumulativeQ;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> history;
  private final Operand<TFloat32> keep;
  private final Placeholder<TInt32> targets;
  private final Placeholder<TInt32> negatives;
  private final Operand<TFloat32> userVec;
  private final Operand<TFloat32> itemVecs;
  private final Operand<TFloat32> loss;
  private final Op trainOp;

  /** @param itemCounts training interactions per item: the negatives' sampling distribution */
  public SequenceModel(SequenceConfig cfg, int items, float[] itemCounts) {
    this.cfg = cfg;
    this.items = items;
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    Layers layers = new Layers(tf, cfg.seed());
    int d = cfg.dim();
    int l = cfg.maxLength();

    // q(i) proportional to count + 1: what negatives are drawn from, and the logQ correction
    cumulativeQ = new double[items];
    double total = 0;
    for (int i = 0; i < items; i++) {
      total += itemCounts[i] + 1;
      cumulativeQ[i] = total;
    }
    // the full softmax has every item once among the negatives: nothing to correct
    float[] logQ = new float[items];
    for (int i = 0; i < items && !fullSoftmax(); i++) {
      logQ[i] = (float) Math.log((itemCounts[i] + 1) / total);
    }
    Operand<TFloat32> logQTable = tf.constant(logQ);

    // row 0 is the pad: model ids are item index + 1
    Variable<TFloat32> itemEmb = layers.weight(items + 1L, d, 0.05f);
    Variable<TFloat32> posEmb = layers.weight(l, d, 0.05f);
    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TInt32> axis1 = tf.constant(1);
    Operand<TInt32> one = tf.constant(1);

    history = tf.withName("history_items").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, l)));
    keep = tf.withName("keep_probability").placeholderWithDefault(tf.constant(1f), Shape.scalar());
    Operand<TInt32> ids = tf.math.add(history, one);
    Operand<TFloat32> present = tf.dtypes.cast(tf.math.notEqual(ids, tf.constant(0)), TFloat32.class);
    Operand<TFloat32> mask = tf.expandDims(present, tf.constant(2));
    float[] lower = new float[l * l];
    for (int i = 0; i < l; i++) {
      for (int j = 0; j <= i; j++) {
        lower[i * l + j] = 1f;
      }
    }
    // position i attends to positions j <= i that hold an item; the rest get a large negative score
    Operand<TFloat32> allowed = tf.math.mul(tf.constant(Shape.of(1, l, l), DataBuffers.of(lower)),
        tf.reshape(present, tf.constant(new int[] {-1, 1, l})));
    Operand<TFloat32> penalty = tf.math.mul(tf.math.sub(allowed, tf.constant(1f)), tf.constant(1e9f));
    Operand<TFloat32> scale = tf.constant((float) (1 / Math.sqrt(d)));

    Operand<TFloat32> x = tf.math.mul(layers.dropout(tf.math.add(tf.gather(itemEmb, ids, axis0), posEmb), keep),
        mask);
    for (int b = 0; b < cfg.blocks(); b++) {
      Operand<TFloat32> h = layers.layerNorm(x, layers.ones(d), layers.zeros(d));
      Operand<TFloat32> q = perPosition(tf, h, layers.dense(d, d), d, l);
      Operand<TFloat32> k = perPosition(tf, h, layers.dense(d, d), d, l);
      Operand<TFloat32> v = perPosition(tf, h, layers.dense(d, d), d, l);
      Operand<TFloat32> scores = tf.math.add(tf.math.mul(
          tf.train.batchMatMul(q, k, TFloat32.class, BatchMatMul.adjY(true)), scale), penalty);
      Operand<TFloat32> attended = perPosition(tf,
          tf.train.batchMatMul(tf.nn.softmax(scores), v, TFloat32.class), layers.dense(d, d), d, l);
      x = tf.math.add(x, layers.dropout(attended, keep));
      Operand<TFloat32> h2 = tf.reshape(layers.layerNorm(x, layers.ones(d), layers.zeros(d)),
          tf.constant(new int[] {-1, d}));
      Operand<TFloat32> ff = layers.affine(tf.nn.relu(layers.affine(h2, layers.dense(d, d), layers.zeros(d))),
          layers.dense(d, d), layers.zeros(d));
      x = tf.math.mul(tf.math.add(x, layers.dropout(tf.reshape(ff, tf.constant(new int[] {-1, l, d})), keep)),
          mask);
    }
    Operand<TFloat32> hidden = layers.layerNorm(x, layers.ones(d), layers.zeros(d));
    userVec = tf.withName("user_embedding_out").identity(
        layers.l2Normalize(tf.gather(hidden, tf.constant(l - 1), axis1)));
    itemVecs = layers.l2Normalize(tf.gather(itemEmb, tf.range(one, tf.constant(items + 1), one), axis0));

    // next item at every position: the target against the batch's shared sampled negatives
    targets = tf.withName("train_targets").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1, l)));
    negatives = tf.withName("train_negatives").placeholder(TInt32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TInt32> flatTargets = tf.reshape(targets, tf.constant(new int[] {-1}));
    Operand<TFloat32> valid = tf.dtypes.cast(tf.math.greaterEqual(flatTargets, tf.constant(0)), TFloat32.class);
    Operand<TFloat32> states = layers.l2Normalize(tf.reshape(hidden, tf.constant(new int[] {-1, d})));
    Operand<TFloat32> inverseTemperature = tf.constant(1f / cfg.temperature());
    Operand<TFloat32> positiveVecs = layers.l2Normalize(tf.gather(itemEmb, tf.math.add(flatTargets, one), axis0));
    Operand<TFloat32> positive = tf.math.sub(
        tf.math.mul(tf.reduceSum(tf.math.mul(states, positiveVecs), axis1, ReduceSum.keepDims(true)),
            inverseTemperature),
        tf.expandDims(tf.gather(logQTable, tf.math.maximum(flatTargets, tf.constant(0)), axis0), axis1));
    Operand<TFloat32> negativeVecs = layers.l2Normalize(tf.gather(itemEmb, tf.math.add(negatives, one), axis0));
    // a sampled negative that is the position's own target is no negative
    Operand<TFloat32> accidental = tf.dtypes.cast(tf.math.equal(tf.expandDims(flatTargets, axis1),
        tf.expandDims(negatives, axis0)), TFloat32.class);
    Operand<TFloat32> negative = tf.math.sub(tf.math.sub(
            tf.math.mul(tf.linalg.matMul(states, negativeVecs, MatMul.transposeB(true)), inverseTemperature),
            tf.expandDims(tf.gather(logQTable, negatives, axis0), axis0)),
        tf.math.mul(accidental, tf.constant(1e9f)));
    Operand<TFloat32> logits = tf.concat(List.of(positive, negative), axis1);
    Operand<TFloat32> labels = tf.oneHot(tf.zerosLike(flatTargets), tf.gather(tf.shape(logits), one, axis0),
        tf.constant(1f), tf.constant(0f));
    Operand<TFloat32> perPosition = tf.nn.softmaxCrossEntropyWithLogits(logits, labels).loss();
    loss = tf.math.div(tf.reduceSum(tf.math.mul(perPosition, valid), axis0),
        tf.math.maximum(tf.reduceSum(valid, axis0), tf.constant(1f)));
    trainOp = new Adam(graph, cfg.learningRate()).minimize(loss);

    session = new Session(graph, TfRuntime.sessionConfig());
    session.initialize();
  }

  /** The same dense map (no bias) at every position of a [batch, L, d] tensor. */
  private static Operand<TFloat32> perPosition(Ops tf, Operand<TFloat32> x, Operand<TFloat32> w, int d, int l) {
    return tf.reshape(tf.linalg.matMul(tf.reshape(x, tf.constant(new int[] {-1, d})), w),
        tf.constant(new int[] {-1, l, d}));
  }

  /** One epoch over shuffled windows; returns the mean loss per step. */
  public float trainEpoch(SequenceExamples ex, Random rnd) {
    int l = cfg.maxLength();
    int[] order = shuffled(ex.count(), rnd);
    int[] neg = fullSoftmax() ? IntStream.range(0, items).toArray() : new int[cfg.negatives()];
    double sum = 0;
    int steps = 0;
    for (int start = 0; start < order.length; start += cfg.batchSize()) {
      int b = Math.min(cfg.batchSize(), order.length - start);
      int[] in = new int[b * l];
      int[] tg = new int[b * l];
      for (int k = 0; k < b; k++) {
        System.arraycopy(ex.inputs(), order[start + k] * l, in, k * l, l);
        System.arraycopy(ex.targets(), order[start + k] * l, tg, k * l, l);
      }
      for (int s = 0; s < neg.length && !fullSoftmax(); s++) {
        neg[s] = sample(rnd);
      }
      try (TInt32 th = SavedModelRunner.ints(in, b, l);
           TInt32 tt = SavedModelRunner.ints(tg, b, l);
           TInt32 tn = SavedModelRunner.ints(neg, neg.length);
           TFloat32 tk = TFloat32.scalarOf(1f - cfg.dropout());
           Result r = session.runner().feed(history, th).feed(targets, tt).feed(negatives, tn).feed(keep, tk)
               .addTarget(trainOp).fetch(loss).run()) {
        sum += ((TFloat32) r.get(0)).getFloat();
        steps++;
      }
    }
    return steps == 0 ? Float.NaN : (float) (sum / steps);
  }

  private boolean fullSoftmax() {
    return cfg.negatives() >= items;
  }

  /** An item drawn with probability q(i). */
  private int sample(Random rnd) {
    int i = java.util.Arrays.binarySearch(cumulativeQ, rnd.nextDouble() * cumulativeQ[items - 1]);
    return Math.min(items - 1, i < 0 ? -i - 1 : i);
  }

  private static int[] shuffled(int n, Random rnd) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      int j = rnd.nextInt(i + 1);
      order[i] = order[j];
      order[j] = i;
    }
    return order;
  }

  /** The item vectors (row i = item index i), unit length. */
  public EmbeddingMatrix itemEmbeddings() {
    float[] out = new float[items * cfg.dim()];
    try (Result r = session.runner().fetch(itemVecs).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return new EmbeddingMatrix(items, cfg.dim(), out);
  }

  /** User vectors of these histories (oldest first), encoded by {@link SequenceEncoder}: n x dim, row-major. */
  public float[] embed(List<List<Interaction>> histories) {
    int l = cfg.maxLength();
    SequenceEncoder enc = new SequenceEncoder(l);
    int[] encoded = new int[histories.size() * l];
    for (int j = 0; j < histories.size(); j++) {
      enc.encode(histories.get(j), encoded, j * l);
    }
    return userEmbeddings(encoded, histories.size());
  }

  /**
   * User vectors for n histories encoded by {@link SequenceEncoder} (n x L item indices), n x dim
   * row-major.
   */
  public float[] userEmbeddings(int[] histories, int n) {
    float[] out = new float[n * cfg.dim()];
    try (TInt32 th = SavedModelRunner.ints(histories, n, cfg.maxLength());
         Result r = session.runner().feed(history, th).fetch(userVec).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /** Writes the SavedModel with the user_embedding signature (history item indices -> unit vector). */
  public void export(Path dir) throws IOException {
    Signature user = Signature.builder().key(USER_SIGNATURE.signature())
        .input("history_items", history).output("embedding", userVec).build();
    SavedModelBundle.exporter(dir.toString()).withFunctions(SessionFunction.create(user, session)).export();
  }

  public void saveWeights(Path prefix) {
    session.save(prefix.toString());
  }

  public void restoreWeights(Path prefix) {
    session.restore(prefix.toString());
  }

  public SequenceConfig config() {
    return cfg;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
