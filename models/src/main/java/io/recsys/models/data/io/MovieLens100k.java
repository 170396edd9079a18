package io.recsys.models.data.io;

import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * MovieLens 100K: {@code u.item} (movie id|title|release date|video release date|IMDb URL|19 genre
 * flags, Latin-1) and {@code u.data} (user id TAB item id TAB rating TAB unix seconds). The genre
 * names are those of {@code u.genre}, in flag order. Demographics ({@code u.user}) are not used by
 * the models yet, so they are not read.
 */
public final class MovieLens100k {

  static final List<String> GENRES = List.of("unknown", "Action", "Adventure", "Animation",
      "Children's", "Comedy", "Crime", "Documentary", "Drama", "Fantasy", "Film-Noir", "Horror",
      "Musical", "Mystery", "Romance", "Sci-Fi", "Thriller", "War", "Western");
  private static final DateTimeFormatter RELEASE = DateTimeFormatter.ofPattern("dd-MMM-yyyy", Locale.ENGLISH);
  private static final String ITEM_LAYOUT = "movie id|title|release date|video release date|IMDb URL|19 genre flags 0/1";

  private MovieLens100k() {}

  public static Dataset read(Path dir) throws IOException {
    InteractionLog log = new InteractionLog();
    Path itemFile = dir.resolve("u.item");
    DelimitedFile.read(itemFile, StandardCharsets.ISO_8859_1, "|", 5 + GENRES.size(), ITEM_LAYOUT,
        (f, line) -> {
          List<String> genres = new ArrayList<>();
          for (int g = 0; g < GENRES.size(); g++) {
            String flag = f[5 + g].trim();
            if (!flag.equals("0") && !flag.equals("1")) {
              throw new IOException(itemFile + ":" + line + ": genre flag " + (g + 1) + " is '" + flag
                  + "', expected 0 or 1 (" + ITEM_LAYOUT + ")");
            }
            if (flag.equals("1")) {
              genres.add(GENRES.get(g));
            }
          }
          log.addItem(itemFile, line, MovieTitles.item(f[0].trim(), f[1], genres, releaseMs(f[2])));
        });
    Path ratings = dir.resolve("u.data");
    DelimitedFile.read(ratings, StandardCharsets.ISO_8859_1, "\t", 4,
        "user id TAB item id TAB rating TAB unix seconds", (f, line) -> log.addRating(ratings, line,
            f[0].trim(), f[1].trim(), InteractionLog.parseDouble(f[2], ratings, line, "rating"),
            InteractionLog.parseLong(f[3], ratings, line, "timestamp") * 1000));
    return log.build("movielens-100k");
  }

  /** "01-Jan-1995" as epoch millis; 0 when blank or unreadable (the title's year is used then). */
  private static long releaseMs(String s) {
    try {
      return s.isBlank() ? 0L
          : LocalDate.parse(s.trim(), RELEASE).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return 0L;
    }
  }
}
