package io.recsys.models.train;

/**
 * Hyper-parameters of the sequence model ({@link SequenceModel}).
 *
 * @param maxLength items of history the encoder sees (L), the newest last
 * @param blocks causal self-attention blocks
 * @param batchSize sequences (of L positions each) per training step
 * @param negatives items sampled by popularity per step, shared by every position of the batch; at least
 *     the catalog size: the full softmax over every item
 * @param temperature softmax temperature over cosine similarities (small = sharper)
 * @param dropout share of activations dropped while training (none at inference)
 * @param patience epochs without a better validation recall before training stops
 */
public record SequenceConfig(int dim, int maxLength, int blocks, int batchSize, int negatives, int epochs,
                             float learningRate, float temperature, float dropout, int patience, long seed) {

  public SequenceConfig {
    if (dim < 1 || maxLength < 1 || blocks < 0 || batchSize < 1 || negatives < 1 || epochs < 1) {
      throw new IllegalArgumentException("sequence model: dim, length, batch, negatives and epochs must be >= 1, "
          + "blocks >= 0");
    }
    if (!(dropout >= 0 && dropout < 1)) {
      throw new IllegalArgumentException("sequence model: dropout must lie in [0, 1), got " + dropout);
    }
  }

  public static SequenceConfig defaults() {
    // tuned on ml-100k validation nDCG@10 (seed 1): the full softmax (catalogs up to 10k items) over 512
    // sampled negatives 0.123 vs 0.106; learning rate 0.005 over 0.002 (0.106 vs 0.098, sampled);
    // temperature 0.1 over 0.2 (0.111, full) and 0.05 (0.095, sampled); dropout 0.2 over 0.5 (slower, lower)
    return new SequenceConfig(64, 50, 2, 128, 10_000, 100, 0.005f, 0.1f, 0.2f, 6, 1234);
  }

  /** The knobs {@link #with} takes, as a command line names them. */
  public static final java.util.List<String> KNOBS = java.util.List.of("dim", "length", "blocks", "batch",
      "negatives", "epochs", "learning-rate", "temperature", "dropout", "patience");

  /** These defaults with some knobs set by name ({@link #KNOBS}), e.g. {@code dropout=0.3}. */
  public SequenceConfig with(java.util.Map<String, String> knobs) {
    SequenceConfig c = this;
    for (var e : knobs.entrySet()) {
      String v = e.getValue().trim();
      c = switch (e.getKey()) {
        case "dim" -> new SequenceConfig(Integer.parseInt(v), c.maxLength, c.blocks, c.batchSize, c.negatives,
            c.epochs, c.learningRate, c.temperature, c.dropout, c.patience, c.seed);
        case "length" -> new SequenceConfig(c.dim, Integer.parseInt(v), c.blocks, c.batchSize, c.negatives,
            c.epochs, c.learningRate, c.temperature, c.dropout, c.patience, c.seed);
        case "blocks" -> new SequenceConfig(c.dim, c.maxLength, Integer.parseInt(v), c.batchSize, c.negatives,
            c.epochs, c.learningRate, c.temperature, c.dropout, c.patience, c.seed);
        case "batch" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, Integer.parseInt(v), c.negatives,
            c.epochs, c.learningRate, c.temperature, c.dropout, c.patience, c.seed);
        case "negatives" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, c.batchSize, Integer.parseInt(v),
            c.epochs, c.learningRate, c.temperature, c.dropout, c.patience, c.seed);
        case "epochs" -> c.withEpochs(Integer.parseInt(v));
        case "learning-rate" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, c.batchSize, c.negatives,
            c.epochs, Float.parseFloat(v), c.temperature, c.dropout, c.patience, c.seed);
        case "temperature" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, c.batchSize, c.negatives,
            c.epochs, c.learningRate, Float.parseFloat(v), c.dropout, c.patience, c.seed);
        case "dropout" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, c.batchSize, c.negatives,
            c.epochs, c.learningRate, c.temperature, Float.parseFloat(v), c.patience, c.seed);
        case "patience" -> new SequenceConfig(c.dim, c.maxLength, c.blocks, c.batchSize, c.negatives,
            c.epochs, c.learningRate, c.temperature, c.dropout, Integer.parseInt(v), c.seed);
        default -> throw new IllegalArgumentException("unknown sequence model knob '" + e.getKey()
            + "'; expected some of " + KNOBS);
      };
    }
    return c;
  }

  public SequenceConfig withEpochs(int e) {
    return new SequenceConfig(dim, maxLength, blocks, batchSize, negatives, e, learningRate, temperature, dropout,
        patience, seed);
  }

  public SequenceConfig withSeed(long s) {
    return new SequenceConfig(dim, maxLength, blocks, batchSize, negatives, epochs, learningRate, temperature,
        dropout, patience, s);
  }
}
