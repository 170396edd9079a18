package io.recsys.common.bundle;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Tab-separated tables of a bundle: one header line, then rows; errors name the file and line. */
public final class Tsv {

  private Tsv() {}

  /** Called once per data row; {@code line} is 1-based and counts the header. */
  @FunctionalInterface
  public interface RowHandler {
    void row(String[] cols, int line) throws IOException;
  }

  public static void read(Path file, List<String> header, RowHandler handler) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("missing file " + file);
    }
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String first = in.readLine();
      String expected = String.join("\t", header);
      if (first == null || !first.equals(expected)) {
        throw new IOException(file + ":1: expected header '" + expected.replace("\t", "<TAB>")
            + "', found '" + (first == null ? "<empty file>" : first.replace("\t", "<TAB>")) + "'");
      }
      String line;
      int n = 1;
      while ((line = in.readLine()) != null) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        String[] cols = line.split("\t", -1);
        if (cols.length != header.size()) {
          throw new IOException(file + ":" + n + ": expected " + header.size() + " columns "
              + header + ", found " + cols.length);
        }
        try {
          handler.row(cols, n);
        } catch (NumberFormatException e) {
          throw new IOException(file + ":" + n + ": not a number: " + e.getMessage(), e);
        }
      }
    }
  }

  public static BufferedWriter writer(Path file, List<String> header) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    out.write(String.join("\t", header));
    out.write('\n');
    return out;
  }

  /** Makes free text safe for one TSV cell. */
  public static String clean(String text) {
    return text == null ? "" : text.replace('\t', ' ').replace('\n', ' ').replace('\r', ' ');
  }
}
