package io.recsys.models.data.io;

import io.recsys.common.bundle.ItemCatalog;
import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * MovieLens "latest" (full or small): {@code movies.csv} (movieId,title,genres), {@code ratings.csv}
 * (userId,movieId,rating,timestamp in unix seconds) and, when present, {@code tags.csv}
 * (userId,movieId,tag,timestamp), whose distinct tags per movie are appended to the item text.
 * Tags are written over time: an evaluation passes the end of its training data, so that no
 * model reads a tag written later (one written after a user's held-out interaction, say).
 */
public final class MovieLensLatest {

  private MovieLensLatest() {}

  /** With every tag (training for serving: all of the data is training data). */
  public static Dataset read(Path dir) throws IOException {
    return read(dir, Long.MAX_VALUE);
  }

  /** With the tags written at or before {@code tagsUntilMs} only. */
  public static Dataset read(Path dir, long tagsUntilMs) throws IOException {
    InteractionLog log = new InteractionLog();
    Path movies = dir.resolve("movies.csv");
    readCsv(movies, List.of("movieId", "title", "genres"), (f, line) -> log.addItem(movies, line,
        MovieTitles.item(f.get(0).trim(), f.get(1), Arrays.asList(f.get(2).split("\\|")), 0L)));
    Path tagsFile = dir.resolve("tags.csv");
    if (Files.isRegularFile(tagsFile)) {
      Map<Integer, Set<String>> tags = new LinkedHashMap<>();
      readCsv(tagsFile, List.of("userId", "movieId", "tag", "timestamp"), (f, line) -> {
        int idx = log.itemIndex(f.get(1).trim());
        if (idx < 0) {
          throw new IOException(tagsFile + ":" + line + ": movieId " + f.get(1) + " is not in movies.csv");
        }
        if (InteractionLog.parseLong(f.get(3), tagsFile, line, "timestamp") * 1000 > tagsUntilMs) {
          return;
        }
        tags.computeIfAbsent(idx, k -> new LinkedHashSet<>()).add(f.get(2).trim().toLowerCase(Locale.ROOT));
      });
      for (Map.Entry<Integer, Set<String>> e : tags.entrySet()) {
        ItemCatalog.Item it = log.item(e.getKey());
        log.replaceItem(e.getKey(), new ItemCatalog.Item(it.id(), it.category(), 0, it.price(),
            it.createdMs(), it.title() + " | " + String.join(" ", e.getValue())));
      }
    }
    Path ratings = dir.resolve("ratings.csv");
    readCsv(ratings, List.of("userId", "movieId", "rating", "timestamp"), (f, line) ->
        log.addRating(ratings, line, f.get(0).trim(), f.get(1).trim(),
            InteractionLog.parseDouble(f.get(2), ratings, line, "rating"),
            InteractionLog.parseLong(f.get(3), ratings, line, "timestamp") * 1000));
    return log.build("movielens-latest");
  }

  /** A CSV whose header must start with the given columns; every record needs that many fields. */
  private static void readCsv(Path file, List<String> columns, Csv.RecordHandler handler) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException("missing file " + file + " (expected CSV with header " + String.join(",", columns) + ")");
    }
    List<String> header;
    try (java.io.BufferedReader in = Files.newBufferedReader(file, java.nio.charset.StandardCharsets.UTF_8)) {
      String first = in.readLine();
      header = first == null ? List.of() : Arrays.asList(first.split(",", -1));
    }
    if (header.size() < columns.size() || !header.subList(0, columns.size()).equals(columns)) {
      throw new IOException(file + ":1: expected header " + String.join(",", columns) + ", found " + header);
    }
    Csv.read(file, (f, line) -> {
      if (f.size() < columns.size()) {
        throw new IOException(file + ":" + line + ": expected " + columns.size() + " fields ("
            + String.join(",", columns) + "), found " + f.size());
      }
      handler.record(f, line);
    });
  }
}
