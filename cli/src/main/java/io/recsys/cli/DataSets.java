package io.recsys.cli;

import io.recsys.models.data.Dataset;
import io.recsys.models.data.io.GenericFormat;
import java.io.IOException;
import java.nio.file.Path;

/** Reads a data set in one of the supported formats. */
final class DataSets {

  private DataSets() {}

  static Dataset read(Path dir, String format) throws IOException {
    return switch (format) {
      case "generic" -> GenericFormat.read(dir, dir.getFileName().toString());
      default -> throw new IllegalArgumentException("unknown --format '" + format + "' (supported: generic)");
    };
  }
}
