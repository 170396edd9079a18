package io.recsys.models.data.synthetic;

import io.recsys.models.data.io.Csv;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** users_truth.csv beside a generated data set: each user's liked categories, ';'-separated. */
public final class TruthFile {

  public static final String NAME = "users_truth.csv";

  private TruthFile() {}

  public static void write(SyntheticTruth truth, Path dir) throws IOException {
    try (Writer out = Files.newBufferedWriter(dir.resolve(NAME), StandardCharsets.UTF_8)) {
      Csv.writeRow(out, List.of("user_id", "liked_categories"));
      for (var e : new java.util.TreeMap<>(truth.likedCategories()).entrySet()) {
        Csv.writeRow(out, List.of(e.getKey(), String.join(";", new TreeSet<>(e.getValue()))));
      }
    }
  }

  public static SyntheticTruth read(Path dir, int categories) throws IOException {
    Map<String, Set<String>> liked = new HashMap<>();
    Csv.read(dir.resolve(NAME), (f, line) -> liked.put(f.get(0), Set.of(f.get(1).split(";"))));
    return new SyntheticTruth(liked, categories);
  }
}
