package io.recsys.models.data.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** RFC 4180 comma-separated files: quoted fields may hold commas, quotes ("") and line breaks. */
public final class Csv {

  private Csv() {}

  /** Called per record; {@code line} is the 1-based line where the record starts. */
  @FunctionalInterface
  public interface RecordHandler {
    void record(List<String> fields, int line) throws IOException;
  }

  /** Reads the header, then hands every record to the handler. Returns the header. */
  public static List<String> read(Path file, RecordHandler handler) throws IOException {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      int[] line = {1};
      List<String> header = next(in, line, file);
      if (header == null) {
        throw new IOException(file + ":1: empty file, expected a header line");
      }
      while (true) {
        int start = line[0];
        List<String> rec = next(in, line, file);
        if (rec == null) {
          return header;
        }
        if (rec.size() == 1 && rec.get(0).isEmpty()) {
          continue;
        }
        handler.record(rec, start);
      }
    }
  }

  private static List<String> next(BufferedReader in, int[] line, Path file) throws IOException {
    String text = in.readLine();
    if (text == null) {
      return null;
    }
    int startLine = line[0];
    List<String> fields = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    int i = 0;
    while (true) {
      if (i >= text.length()) {
        if (!quoted) {
          break;
        }
        String more = in.readLine();
        line[0]++;
        if (more == null) {
          throw new IOException(file + ":" + startLine + ": unterminated quoted field");
        }
        cur.append('\n');
        text = more;
        i = 0;
        continue;
      }
      char c = text.charAt(i++);
      if (quoted) {
        if (c == '"') {
          if (i < text.length() && text.charAt(i) == '"') {
            cur.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          cur.append(c);
        }
      } else if (c == '"') {
        quoted = true;
      } else if (c == ',') {
        fields.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    fields.add(cur.toString());
    line[0]++;
    return fields;
  }

  public static void writeRow(Writer out, List<String> fields) throws IOException {
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      String f = fields.get(i);
      if (f.indexOf(',') >= 0 || f.indexOf('"') >= 0 || f.indexOf('\n') >= 0) {
        out.write('"');
        out.write(f.replace("\"", "\"\""));
        out.write('"');
      } else {
        out.write(f);
      }
    }
    out.write('\n');
  }
}
