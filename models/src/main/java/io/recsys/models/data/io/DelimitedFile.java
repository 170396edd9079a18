package io.recsys.models.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Line-oriented files with a fixed separator and no quoting (MovieLens' {@code u.data},
 * {@code ratings.dat}, ...). Every problem is reported as {@code file:line: what was expected}.
 */
final class DelimitedFile {

  /** Called per non-empty line with its fields; {@code line} is 1-based. */
  @FunctionalInterface
  interface LineHandler {
    void line(String[] fields, int line) throws IOException;
  }

  private DelimitedFile() {}

  /**
   * Reads every non-empty line, checking that it has at least {@code minFields} fields.
   *
   * @param layout what a line should look like, used in error messages (e.g. "user_id TAB item_id ...")
   */
  static void read(Path file, Charset charset, String separator, int minFields, String layout,
                   LineHandler handler) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("missing file " + file + " (expected lines: " + layout + ")");
    }
    try (BufferedReader in = Files.newBufferedReader(file, charset)) {
      String text;
      int line = 0;
      while ((text = in.readLine()) != null) {
        line++;
        if (text.isBlank()) {
          continue;
        }
        String[] f = split(text, separator);
        if (f.length < minFields) {
          throw new IOException(file + ":" + line + ": expected " + minFields + " fields (" + layout
              + "), found " + f.length + ": '" + abbreviate(text) + "'");
        }
        handler.line(f, line);
      }
    }
  }

  /** Splits on a literal separator, keeping empty fields (String.split would drop trailing ones). */
  static String[] split(String text, String separator) {
    List<String> out = new ArrayList<>();
    int from = 0;
    int at;
    while ((at = text.indexOf(separator, from)) >= 0) {
      out.add(text.substring(from, at));
      from = at + separator.length();
    }
    out.add(text.substring(from));
    return out.toArray(new String[0]);
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }
}
