package io.recsys.models.data.io;

import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/** The interaction-data formats the training and evaluation commands read, by their CLI name. */
public enum DatasetFormat {
  MOVIELENS_100K("movielens-100k"),
  MOVIELENS_1M("movielens-1m"),
  MOVIELENS_LATEST("movielens-latest"),
  GENERIC("generic");

  private final String cliName;

  DatasetFormat(String cliName) {
    this.cliName = cliName;
  }

  public String cliName() {
    return cliName;
  }

  public static DatasetFormat of(String name) {
    String n = name.trim().toLowerCase(Locale.ROOT);
    for (DatasetFormat f : values()) {
      if (f.cliName.equals(n)) {
        return f;
      }
    }
    throw new IllegalArgumentException("unknown data format '" + name + "'; expected one of "
        + Arrays.stream(values()).map(DatasetFormat::cliName).toList());
  }

  /** Reads the data set in directory {@code dir} given in format {@code format} (a CLI name). */
  public static Dataset read(Path dir, String format) throws IOException {
    return of(format).read(dir);
  }

  /** Whether the item text was written over time (MovieLens tags), so that a cutoff changes it. */
  public boolean timedItemText() {
    return this == MOVIELENS_LATEST;
  }

  public Dataset read(Path dir) throws IOException {
    return read(dir, Long.MAX_VALUE);
  }

  /**
   * Reads the data set in {@code dir} with the item text written at or before {@code textUntilMs}
   * only (an evaluation passes the end of its training data); the same as {@link #read(Path)} for
   * formats whose item text has no time.
   */
  public Dataset read(Path dir, long textUntilMs) throws IOException {
    return switch (this) {
      case MOVIELENS_100K -> MovieLens100k.read(dir);
      case MOVIELENS_1M -> MovieLens1m.read(dir);
      case MOVIELENS_LATEST -> MovieLensLatest.read(dir, textUntilMs);
      case GENERIC -> GenericFormat.read(dir, dir.toAbsolutePath().normalize().getFileName().toString());
    };
  }
}
