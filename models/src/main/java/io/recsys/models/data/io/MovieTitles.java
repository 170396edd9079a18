package io.recsys.models.data.io;

import io.recsys.common.bundle.ItemCatalog;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a MovieLens movie becomes a catalog item: the first listed genre is its category, the title
 * plus all genres are its text, and the release year (from the title, "Heat (1995)") is its
 * created time.
 */
final class MovieTitles {

  private static final Pattern YEAR = Pattern.compile("\\((\\d{4})\\)\\s*$");

  private MovieTitles() {}

  static ItemCatalog.Item item(String id, String title, List<String> genres, long createdMs) {
    List<String> real = genres.stream().map(String::trim)
        .filter(g -> !g.isEmpty() && !g.equals("(no genres listed)") && !g.equals("unknown")).toList();
    String text = real.isEmpty() ? title.trim() : title.trim() + " | " + String.join(" ", real);
    return new ItemCatalog.Item(id, real.isEmpty() ? "" : real.get(0), 0, 0f,
        createdMs != 0 ? createdMs : yearMs(title), text);
  }

  /** January 1st of the year in the title, or 0 when the title has none. */
  static long yearMs(String title) {
    Matcher m = YEAR.matcher(title.trim());
    if (!m.find()) {
      return 0L;
    }
    return LocalDate.of(Integer.parseInt(m.group(1)), 1, 1).atStartOfDay(ZoneOffset.UTC)
        .toInstant().toEpochMilli();
  }
}
