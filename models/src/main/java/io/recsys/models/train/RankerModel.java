package io.recsys.models.train;

import io.recsys.common.bundle.Manifest.SignatureSpec;
import io.recsys.common.features.FeatureRanges;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.common.tf.TfRuntime;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
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
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * The DeepFM ranker: per sparse field an embedding and a first-order weight; the FM part models
 * pairwise field interactions, a two-layer MLP sees all embeddings and the dense features, and a
 * linear part sees the dense features. Output: sigmoid of the logit, which orders the candidates.
 * Trained listwise (by default) it is a softmax over each example's candidates, so the logit is a
 * relative preference rather than a calibrated probability; trained pointwise it is the
 * probability that the user engages next with the candidate.
 */
public final class RankerModel implements AutoCloseable {

  public static final SignatureSpec SIGNATURE = new SignatureSpec("ranker", "serving_default",
      Map.of("sparse", "sparse", "dense", "dense"), Map.of("probability", "probability"));

  private final RankerConfig cfg;
  private final Graph graph;
  private final Session session;
  private final Placeholder<TInt32> sparse;
  private final Placeholder<TFloat32> dense;
  private final Placeholder<TFloat32> labels;
  private final Operand<TFloat32> probability;
  private final Operand<TFloat32> loss;
  private final Op trainOp;
  /** The dense features' ranges over the examples this ranker trained on; null before training. */
  private FeatureRanges denseRanges;

  /** @param fieldSlots number of distinct values of each sparse field, in RankerFeatures.SPARSE order */
  public RankerModel(RankerConfig cfg, int[] fieldSlots) {
    this.cfg = cfg;
    this.graph = new Graph();
    Ops tf = Ops.create(graph);
    Layers layers = new Layers(tf, cfg.seed());
    sparse = tf.withName("sparse").placeholder(TInt32.class,
        Placeholder.shape(Shape.of(-1, RankerFeatures.SPARSE.size())));
    dense = tf.withName("dense").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, RankerFeatures.DENSE.size())));

    labels = tf.withName("train_labels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> logits = memberLogits(tf, layers, fieldSlots);
    probability = tf.withName("probability_out").math.sigmoid(tf.math.mean(logits, tf.constant(1)));
    // each member learns from its own loss (their mean), so the members stay independent estimates
    loss = cfg.listwise() ? listwiseLoss(tf, logits) : logLoss(tf, logits);
    trainOp = new Adam(graph, cfg.learningRate()).minimize(loss);

    session = new Session(graph, TfRuntime.sessionConfig());
    session.initialize();
  }

  /**
   * Every member's DeepFM logit per row, as [rows, members]. The members are one network with
   * member-wide tables and per-member layers applied in one op (einsum over a member axis) rather
   * than one sub-graph each: a call then runs as many TensorFlow ops as a single network (the per-op
   * cost is what a small request pays).
   */
  private Operand<TFloat32> memberLogits(Ops tf, Layers layers, int[] fieldSlots) {
    int fields = RankerFeatures.SPARSE.size();
    int nDense = RankerFeatures.DENSE.size();
    int k = cfg.fieldDim();
    int m = cfg.members();
    Operand<TInt32> axis0 = tf.constant(0);
    Operand<TInt32> axis1 = tf.constant(1);
    Operand<TInt32> axis2 = tf.constant(2);
    Operand<TInt32> byMember = tf.constant(new int[] {-1, m, k});
    List<Operand<TFloat32>> embs = new ArrayList<>();
    Operand<TFloat32> firstOrder = null;
    for (int f = 0; f < fields; f++) {
      Variable<TFloat32> table = layers.weight(fieldSlots[f], (long) m * k, 0.01f);
      Variable<TFloat32> w = layers.weight(fieldSlots[f], m, 0.001f);
      Operand<TInt32> col = tf.gather(sparse, tf.constant(f), axis1);
      embs.add(tf.reshape(tf.gather(table, col, axis0), byMember));
      Operand<TFloat32> wf = tf.gather(w, col, axis0);
      firstOrder = firstOrder == null ? wf : tf.math.add(firstOrder, wf);
    }
    // FM second order per member: 0.5 * sum_k((sum_f e_fk)^2 - sum_f e_fk^2)
    Operand<TFloat32> sum = embs.get(0);
    Operand<TFloat32> sumSq = tf.math.square(embs.get(0));
    for (int f = 1; f < fields; f++) {
      sum = tf.math.add(sum, embs.get(f));
      sumSq = tf.math.add(sumSq, tf.math.square(embs.get(f)));
    }
    Operand<TFloat32> fm = tf.math.mul(tf.constant(0.5f),
        tf.reduceSum(tf.math.sub(tf.math.square(sum), sumSq), axis2));

    Variable<TFloat32> wDense = layers.weight(nDense, m, Layers.glorot(nDense, 1));
    Operand<TFloat32> linear = tf.math.add(firstOrder, layers.affine(dense, wDense, layers.zeros(m)));

    // each member's input row: its field embeddings, then the dense features
    List<Operand<TFloat32>> mlpIn = new ArrayList<>(embs);
    mlpIn.add(tf.tile(tf.expandDims(dense, axis1), tf.constant(new int[] {1, m, 1})));
    int width = fields * k + nDense;
    Operand<TFloat32> x = tf.concat(mlpIn, axis2);
    Operand<TFloat32> h1 = tf.nn.relu(memberLayer(tf, layers, x, width, cfg.hidden1()));
    Operand<TFloat32> h2 = tf.nn.relu(memberLayer(tf, layers, h1, cfg.hidden1(), cfg.hidden2()));
    Operand<TFloat32> deep = tf.squeeze(memberLayer(tf, layers, h2, cfg.hidden2(), 1), Squeeze.axis(List.of(2L)));

    return tf.math.add(tf.math.add(linear, fm), deep);
  }

  /** A dense layer per member: [rows, members, in] to [rows, members, out], each member its own weights. */
  private Operand<TFloat32> memberLayer(Ops tf, Layers layers, Operand<TFloat32> x, int in, int out) {
    int m = cfg.members();
    Variable<TFloat32> w = layers.weight(Layers.glorot(in, out), m, in, out);
    return tf.math.add(tf.linalg.einsum(List.of(x, w), "nmi,mio->nmo"), layers.zeros(m, out));
  }

  /**
   * Rows come in groups, the positive first: per member -log softmax(group)[0], the max subtracted
   * for stability; the mean over groups and members.
   */
  private Operand<TFloat32> listwiseLoss(Ops tf, Operand<TFloat32> logits) {
    Operand<TInt32> axis1 = tf.constant(1);
    Operand<TFloat32> groups = tf.reshape(logits, tf.constant(new int[] {-1, cfg.groupSize(), cfg.members()}));
    Operand<TFloat32> max = tf.stopGradient(tf.max(groups, axis1, Max.keepDims(true)));
    Operand<TFloat32> logSumExp = tf.math.add(tf.squeeze(max, Squeeze.axis(List.of(1L))),
        tf.math.log(tf.reduceSum(tf.math.exp(tf.math.sub(groups, max)), axis1)));
    Operand<TFloat32> perMember = tf.math.sub(logSumExp, tf.gather(groups, tf.constant(0), axis1));
    return tf.math.mean(perMember, tf.constant(new int[] {0, 1}));
  }

  /** Numerically stable sigmoid cross-entropy per member: max(z,0) - z*y + log(1 + exp(-|z|)). */
  private Operand<TFloat32> logLoss(Ops tf, Operand<TFloat32> logits) {
    Operand<TFloat32> y = tf.expandDims(labels, tf.constant(1));
    Operand<TFloat32> xent = tf.math.add(
        tf.math.sub(tf.math.maximum(logits, tf.constant(0f)), tf.math.mul(logits, y)),
        tf.math.log1p(tf.math.exp(tf.math.neg(tf.math.abs(logits)))));
    return tf.math.mean(xent, tf.constant(new int[] {0, 1}));
  }

  /** One epoch over the examples in shuffled order; returns the mean training loss. */
  public float trainEpoch(RankerExamples ex, Random rnd) {
    if (denseRanges == null) {
      denseRanges = FeatureRanges.of(ex.dense());
    }
    int g = ex.groupSize();
    int b = cfg.groupsPerBatch() * g;
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    int[] order = shuffled(ex.groups(), rnd);
    int[] s = new int[b * fs];
    float[] d = new float[b * fd];
    float[] y = new float[b];
    double total = 0;
    int steps = 0;
    for (int start = 0; start + cfg.groupsPerBatch() <= order.length; start += cfg.groupsPerBatch()) {
      for (int j = 0; j < cfg.groupsPerBatch(); j++) {
        int first = order[start + j] * g;
        System.arraycopy(ex.sparse(), first * fs, s, j * g * fs, g * fs);
        System.arraycopy(ex.dense(), first * fd, d, j * g * fd, g * fd);
        System.arraycopy(ex.labels(), first, y, j * g, g);
      }
      try (TInt32 ts = SavedModelRunner.ints(s, b, fs);
           TFloat32 td = SavedModelRunner.floats(d, b, fd);
           TFloat32 ty = SavedModelRunner.floats(y, b);
           Result r = session.runner().feed(sparse, ts).feed(dense, td).feed(labels, ty)
               .addTarget(trainOp).fetch(loss).run()) {
        total += ((TFloat32) r.get(0)).getFloat();
        steps++;
      }
    }
    return steps == 0 ? Float.NaN : (float) (total / steps);
  }

  /** Scores (sigmoid of the logit) for n rows. */
  public float[] score(int[] sparseRows, float[] denseRows, int n) {
    float[] out = new float[n];
    try (TInt32 ts = SavedModelRunner.ints(sparseRows, n, RankerFeatures.SPARSE.size());
         TFloat32 td = SavedModelRunner.floats(denseRows, n, RankerFeatures.DENSE.size());
         Result r = session.runner().feed(sparse, ts).feed(dense, td).fetch(probability).run()) {
      ((TFloat32) r.get(0)).copyTo(DataBuffers.of(out, false, false));
    }
    return out;
  }

  /** What serving clamps rows into (see {@link FeatureRanges}); exported beside the ranker. */
  public FeatureRanges denseRanges() {
    if (denseRanges == null) {
      throw new IllegalStateException("the ranker has not been trained");
    }
    return denseRanges;
  }

  public void export(Path dir) throws IOException {
    Signature sig = Signature.builder().key(SIGNATURE.signature())
        .input("sparse", sparse).input("dense", dense).output("probability", probability).build();
    SavedModelBundle.exporter(dir.toString()).withFunctions(SessionFunction.create(sig, session)).export();
  }

  static int[] shuffled(int n, Random rnd) {
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = rnd.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
