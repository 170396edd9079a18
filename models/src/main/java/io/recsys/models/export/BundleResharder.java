package io.recsys.models.export;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Copies a bundle with its item index rewritten as N shards, from the bundle's own item
 * embeddings: the same model (same version) packaged for a sharded deployment, without training
 * again. Published like {@link BundleWriter} does: staged, then renamed when complete.
 */
public final class BundleResharder {

  private BundleResharder() {}

  /**
   * @param source a bundle directory or a root of versioned bundles (newest taken)
   * @param targetRoot where {@code <version>/} is written; not the source's root (same version)
   */
  public static BundleLayout reshard(Path source, Path targetRoot, int shards, Consumer<String> progress)
      throws IOException {
    BundleLayout from = BundleLayout.resolve(source);
    Manifest manifest = Manifest.read(from.manifest());
    Path target = targetRoot.resolve(manifest.version());
    if (Files.exists(target)) {
      throw new IOException("bundle " + target + " already exists; reshard into another root");
    }
    Files.createDirectories(targetRoot);
    Path staging = targetRoot.resolve("." + manifest.version() + ".partial");
    BundleWriter.deleteRecursively(staging);
    BundleLayout to = new BundleLayout(staging);
    copyAllBut(from.dir(), staging, from.index(), from.manifest());
    ItemCatalog items = ItemCatalog.read(from.items());
    EmbeddingMatrix vectors = EmbeddingMatrix.read(from.itemEmbeddings(), manifest.embeddingDim());
    ItemIndexWriter.write(to, items, vectors, shards, progress);
    manifest.withIndexShards(shards).withChecksums(BundleWriter.checksums(staging)).write(to.manifest());
    try {
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (AtomicMoveNotSupportedException e) {
      Files.move(staging, target);
    }
    return new BundleLayout(target);
  }

  private static void copyAllBut(Path from, Path to, Path index, Path manifest) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path p : files.filter(p -> !p.startsWith(index) && !p.equals(manifest)).toList()) {
        Path dest = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
  }
}
