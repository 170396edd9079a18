package io.recsys.common.bundle;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * manifest.json of a model bundle: what was trained on what, the tensor names the servers bind to
 * (so a SavedModel exported elsewhere works by editing the manifest, not code), metrics, checksums.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Manifest(
    @JsonProperty("format_version") int formatVersion,
    @JsonProperty("version") String version,
    @JsonProperty("created_at") String createdAt,
    @JsonProperty("dataset") String dataset,
    @JsonProperty("items") int items,
    @JsonProperty("users") int users,
    @JsonProperty("categories") int categories,
    @JsonProperty("embedding_dim") int embeddingDim,
    @JsonProperty("history_length") int historyLength,
    @JsonProperty("two_tower") SignatureSpec userTower,
    @JsonProperty("item_tower") SignatureSpec itemTower,
    @JsonProperty("ranker") SignatureSpec ranker,
    @JsonProperty("ranker_features") RankerFeatureSpec rankerFeatures,
    @JsonProperty("metrics") Map<String, Double> metrics,
    @JsonProperty("checksums") Map<String, String> checksums,
    @JsonProperty("index_shards") int indexShards,
    @JsonProperty("sequence") SequenceSpec sequence) {

  public static final int FORMAT_VERSION = 1;

  /**
   * @param indexShards how many shards the item index is written as ({@code index/shard-<i>},
   *     items assigned by {@link io.recsys.common.index.ItemShards}); bundles written before shards
   *     have no such field and one index (read as 1)
   * @param sequence the sequence model, or null for a bundle without one (all written before it)
   */
  public Manifest {
    if (indexShards == 0) {
      indexShards = 1;
    }
    if (indexShards < 0) {
      throw new IllegalArgumentException("index_shards must be >= 1, got " + indexShards);
    }
  }

  /** A manifest of a bundle without a sequence model. */
  public Manifest(int formatVersion, String version, String createdAt, String dataset, int items,
                  int users, int categories, int embeddingDim, int historyLength,
                  SignatureSpec userTower, SignatureSpec itemTower, SignatureSpec ranker,
                  RankerFeatureSpec rankerFeatures, Map<String, Double> metrics,
                  Map<String, String> checksums, int indexShards) {
    this(formatVersion, version, createdAt, dataset, items, users, categories, embeddingDim,
        historyLength, userTower, itemTower, ranker, rankerFeatures, metrics, checksums, indexShards, null);
  }

  /** A manifest of a bundle with one item index. */
  public Manifest(int formatVersion, String version, String createdAt, String dataset, int items,
                  int users, int categories, int embeddingDim, int historyLength,
                  SignatureSpec userTower, SignatureSpec itemTower, SignatureSpec ranker,
                  RankerFeatureSpec rankerFeatures, Map<String, Double> metrics,
                  Map<String, String> checksums) {
    this(formatVersion, version, createdAt, dataset, items, users, categories, embeddingDim,
        historyLength, userTower, itemTower, ranker, rankerFeatures, metrics, checksums, 1);
  }

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /**
   * One SavedModel signature and the names of its tensors.
   *
   * @param path directory of the SavedModel, relative to the bundle
   * @param inputs logical input name (what our code provides) -> the signature's input key
   * @param outputs logical output name -> the signature's output key
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SignatureSpec(
      @JsonProperty("path") String path,
      @JsonProperty("signature") String signature,
      @JsonProperty("inputs") Map<String, String> inputs,
      @JsonProperty("outputs") Map<String, String> outputs) {

    public String input(String logical) {
      String name = inputs.get(logical);
      if (name == null) {
        throw new IllegalStateException("manifest: signature " + signature + " maps no input '"
            + logical + "' (has " + inputs.keySet() + ")");
      }
      return name;
    }

    public String output(String logical) {
      String name = outputs.get(logical);
      if (name == null) {
        throw new IllegalStateException("manifest: signature " + signature + " maps no output '"
            + logical + "' (has " + outputs.keySet() + ")");
      }
      return name;
    }
  }

  /**
   * The sequence model of a bundle: its user_embedding signature (history item indices, left-padded
   * with -1, newest last -> unit vector) and the shape of its input and output.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record SequenceSpec(
      @JsonProperty("user_embedding") SignatureSpec userEmbedding,
      @JsonProperty("history_length") int historyLength,
      @JsonProperty("embedding_dim") int embeddingDim) {}

  /** Shape of the ranker's feature rows, checked against the serving code's feature builder. */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record RankerFeatureSpec(
      @JsonProperty("sparse") java.util.List<String> sparse,
      @JsonProperty("dense") java.util.List<String> dense) {}

  public static Manifest read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("bundle manifest missing: " + file);
    }
    Manifest m = JSON.readValue(file.toFile(), Manifest.class);
    if (m.formatVersion() != FORMAT_VERSION) {
      throw new IOException(file + ": bundle format " + m.formatVersion()
          + " is not supported (this build reads format " + FORMAT_VERSION + ")");
    }
    return m;
  }

  public void write(Path file) throws IOException {
    JSON.writeValue(file.toFile(), this);
  }

  public Manifest withChecksums(Map<String, String> sums) {
    return new Manifest(formatVersion, version, createdAt, dataset, items, users, categories,
        embeddingDim, historyLength, userTower, itemTower, ranker, rankerFeatures, metrics, sums,
        indexShards, sequence);
  }

  public Manifest withIndexShards(int shards) {
    return new Manifest(formatVersion, version, createdAt, dataset, items, users, categories,
        embeddingDim, historyLength, userTower, itemTower, ranker, rankerFeatures, metrics, checksums,
        shards, sequence);
  }

  public Manifest withSequence(SequenceSpec spec) {
    return new Manifest(formatVersion, version, createdAt, dataset, items, users, categories,
        embeddingDim, historyLength, userTower, itemTower, ranker, rankerFeatures, metrics, checksums,
        indexShards, spec);
  }
}
