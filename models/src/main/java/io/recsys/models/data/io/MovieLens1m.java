package io.recsys.models.data.io;

import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * MovieLens 1M: {@code movies.dat} (MovieID::Title::Genres with genres separated by '|', Latin-1)
 * and {@code ratings.dat} (UserID::MovieID::Rating::Timestamp in unix seconds). Demographics
 * ({@code users.dat}) are not used by the models yet, so they are not read.
 */
public final class MovieLens1m {

  private MovieLens1m() {}

  public static Dataset read(Path dir) throws IOException {
    InteractionLog log = new InteractionLog();
    Path movies = dir.resolve("movies.dat");
    DelimitedFile.read(movies, StandardCharsets.ISO_8859_1, "::", 3, "MovieID::Title::Genres",
        (f, line) -> log.addItem(movies, line,
            MovieTitles.item(f[0].trim(), f[1], Arrays.asList(f[2].split("\\|")), 0L)));
    Path ratings = dir.resolve("ratings.dat");
    DelimitedFile.read(ratings, StandardCharsets.ISO_8859_1, "::", 4,
        "UserID::MovieID::Rating::Timestamp", (f, line) -> log.addRating(ratings, line,
            f[0].trim(), f[1].trim(), InteractionLog.parseDouble(f[2], ratings, line, "Rating"),
            InteractionLog.parseLong(f[3], ratings, line, "Timestamp") * 1000));
    return log.build("movielens-1m");
  }
}
