package io.recsys.models.export;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.ItemNeighbours;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.common.bundle.Tsv;
import io.recsys.common.bundle.UserTable;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import io.recsys.models.train.RankerModel;
import io.recsys.models.train.SequenceModel;
import io.recsys.models.train.TwoTowerModel;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Writes a model bundle: everything goes into a hidden staging directory first, which is renamed
 * to {@code <root>/<version>} only when complete, so a server never sees half a bundle.
 */
public final class BundleWriter {

  /** Per user, the newest events written to stats/recent_history.tsv (the gateway's seed history). */
  public static final int RECENT_EVENTS_PER_USER = 50;
  static final List<String> HISTORY_HEADER = List.of("user_id", "item_id", "type", "timestamp_ms", "value");

  private BundleWriter() {}

  /**
   * What goes into a bundle.
   *
   * @param item2item the item2item source's neighbour lists and decay
   * @param sequence the sequence model, or null for a bundle without one
   */
  public record Contents(Dataset data, TwoTowerModel twoTower, EmbeddingMatrix itemEmbeddings,
                         RankerModel ranker, Popularity popularity, ItemNeighbours item2item,
                         Manifest manifest, SequencePart sequence) {

    public Contents(Dataset data, TwoTowerModel twoTower, EmbeddingMatrix itemEmbeddings, RankerModel ranker,
                    Popularity popularity, ItemNeighbours item2item, Manifest manifest) {
      this(data, twoTower, itemEmbeddings, ranker, popularity, item2item, manifest, null);
    }
  }

  /** The trained sequence model and its item vectors (row i = item index i). */
  public record SequencePart(SequenceModel model, EmbeddingMatrix items) {}

  public static BundleLayout write(Path root, Contents c, Consumer<String> progress) throws IOException {
    Files.createDirectories(root);
    Path staging = root.resolve("." + c.manifest().version() + ".partial");
    deleteRecursively(staging);
    BundleLayout b = new BundleLayout(staging);
    c.data().items().write(b.items());
    new UserTable(c.data().userIds()).write(b.users());
    c.twoTower().export(b.twoTower());
    c.itemEmbeddings().write(b.itemEmbeddings());
    ItemIndexWriter.write(b, c.data().items(), c.itemEmbeddings(), c.manifest().indexShards(), progress);
    if (c.sequence() != null) {
      c.sequence().model().export(b.sequenceModel());
      ItemIndexWriter.writeSequence(b, c.sequence().items(), progress);
    }
    c.ranker().export(b.ranker());
    c.ranker().denseRanges().write(b.rankerRanges());
    c.popularity().write(b.popularity());
    c.item2item().write(b.item2item());
    writeRecentHistory(c.data(), b.recentHistory());
    c.manifest().withChecksums(checksums(staging)).write(b.manifest());

    Path target = root.resolve(c.manifest().version());
    if (Files.exists(target)) {
      throw new IOException("bundle " + target + " already exists");
    }
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
    return new BundleLayout(target);
  }

  static void writeRecentHistory(Dataset ds, Path file) throws IOException {
    ItemCatalog items = ds.items();
    try (BufferedWriter out = Tsv.writer(file, HISTORY_HEADER)) {
      for (int u = 0; u < ds.users(); u++) {
        List<Interaction> h = ds.histories().get(u);
        for (Interaction e : h.subList(Math.max(0, h.size() - RECENT_EVENTS_PER_USER), h.size())) {
          out.write(Tsv.clean(ds.userIds().get(u)) + "\t" + Tsv.clean(items.id(e.itemIndex())) + "\t"
              + e.type().name() + "\t" + e.timestampMs() + "\t" + e.value() + "\n");
        }
      }
    }
  }

  /** SHA-256 of every file of the bundle (relative path -> hex), the manifest aside. */
  static Map<String, String> checksums(Path dir) throws IOException {
    Map<String, String> sums = new TreeMap<>();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
        String rel = dir.relativize(p).toString();
        if (!rel.equals(BundleLayout.MANIFEST)) {
          sums.put(rel, sha256(p));
        }
      }
    }
    return sums;
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[1 << 16];
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(md.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
