package io.recsys.models.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventType;
import io.recsys.common.features.Interaction;
import io.recsys.models.data.Dataset;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The readers on tiny files written here (the real MovieLens files are never needed by tests). */
class MovieLensReadersTest {

  private static final String FLAGS_ACTION_COMEDY = "|0|1|0|0|0|1|0|0|0|0|0|0|0|0|0|0|0|0|0";
  private static final String FLAGS_DRAMA = "|0|0|0|0|0|0|0|0|1|0|0|0|0|0|0|0|0|0|0";

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.ISO_8859_1);
  }

  @Test
  void readsMovieLens100kWithGenresAndStableTimeOrder(@TempDir Path dir) throws IOException {
    write(dir.resolve("u.item"),
        "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_ACTION_COMEDY + "\n"
            + "2|Café Society (1995)|||http://y" + FLAGS_DRAMA + "\n");
    // user 7 rates item 2 and item 1 at the same second: file order is kept
    write(dir.resolve("u.data"), "7\t2\t4\t100\n9\t1\t3\t50\n7\t1\t5\t100\n7\t2\t1\t20\n");
    Dataset ds = DatasetFormat.read(dir, "movielens-100k");

    assertThat(ds.items().size()).isEqualTo(2);
    assertThat(ds.items().get(0).category()).isEqualTo("Action");
    assertThat(ds.items().get(0).title()).isEqualTo("Toy Story (1995) | Action Comedy");
    assertThat(ds.items().get(1).title()).startsWith("Café Society");
    assertThat(ds.items().get(1).createdMs()).isEqualTo(788918400000L); // 1995 from the title
    assertThat(ds.userIds()).containsExactly("7", "9");
    assertThat(ds.histories().get(0)).containsExactly(
        new Interaction(1, EventType.RATING, 20_000L, 1.0),
        new Interaction(1, EventType.RATING, 100_000L, 4.0),
        new Interaction(0, EventType.RATING, 100_000L, 5.0));
  }

  @Test
  void readsMovieLens1m(@TempDir Path dir) throws IOException {
    write(dir.resolve("movies.dat"), "1::Toy Story (1995)::Animation|Children's|Comedy\n2::Heat (1995)::Action\n");
    write(dir.resolve("ratings.dat"), "1::2::5::978300760\n1::1::3::978302109\n");
    Dataset ds = DatasetFormat.read(dir, "movielens-1m");
    assertThat(ds.items().get(0).category()).isEqualTo("Animation");
    assertThat(ds.histories().get(0)).extracting(Interaction::itemIndex).containsExactly(1, 0);
    assertThat(ds.histories().get(0).get(0).value()).isEqualTo(5.0);
  }

  @Test
  void readsMovieLensLatestWithTagsInTheItemText(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n"
        + "1,\"American President, The (1995)\",Comedy|Drama|Romance\n2,Jumanji (1995),(no genres listed)\n");
    Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,2.5,964981247\n");
    Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\n2,1,Politics,1\n3,1,politics,2\n3,1,funny,3\n");
    Dataset ds = DatasetFormat.read(dir, "movielens-latest");
    assertThat(ds.items().get(0).title()).isEqualTo("American President, The (1995) | Comedy Drama Romance | politics funny");
    assertThat(ds.items().get(1).category()).isEmpty();
    assertThat(ds.histories().get(0)).extracting(Interaction::itemIndex).containsExactly(1, 0);
    assertThat(ds.histories().get(0).get(0).value()).isEqualTo(2.5);
  }

  @Test
  void movieLensLatestReadsOnlyTheTagsWrittenUntilTheCutoff(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n1,Heat (1995),Action\n2,Jumanji (1995),Comedy\n");
    Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,10\n1,2,2.5,20\n");
    Files.writeString(dir.resolve("tags.csv"), "userId,movieId,tag,timestamp\n"
        + "2,1,heist,10\n3,1,spoiler,11\n3,2,board game,30\n");
    DatasetFormat latest = DatasetFormat.of("movielens-latest");
    assertThat(latest.timedItemText()).isTrue();
    Dataset ds = latest.read(dir, 10_000); // tags are in unix seconds; the cutoff in ms, inclusive
    assertThat(ds.items().get(0).title()).isEqualTo("Heat (1995) | Action | heist");
    assertThat(ds.items().get(1).title()).isEqualTo("Jumanji (1995) | Comedy");
    assertThat(latest.read(dir).items().get(1).title()).isEqualTo("Jumanji (1995) | Comedy | board game");
  }

  @Test
  void malformedLinesNameTheFileTheLineAndWhatWasExpected(@TempDir Path dir) throws IOException {
    write(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_DRAMA + "\n");
    write(dir.resolve("u.data"), "1\t1\t5\t100\n\n1\t1\t5\n");
    assertThatThrownBy(() -> MovieLens100k.read(dir)).isInstanceOf(IOException.class)
        .hasMessageContaining("u.data:3:").hasMessageContaining("expected 4 fields")
        .hasMessageContaining("user id TAB item id TAB rating TAB unix seconds");

    write(dir.resolve("u.data"), "1\t1\tfive\t100\n");
    assertThatThrownBy(() -> MovieLens100k.read(dir)).hasMessageContaining("u.data:1: rating 'five' is not a number");

    write(dir.resolve("u.data"), "1\t99\t5\t100\n");
    assertThatThrownBy(() -> MovieLens100k.read(dir)).hasMessageContaining("u.data:1: item id 99 is not in the item file");

    write(dir.resolve("u.item"), "1|Toy Story (1995)|01-Jan-1995||http://x" + FLAGS_DRAMA.replace("|1|", "|yes|") + "\n");
    assertThatThrownBy(() -> MovieLens100k.read(dir)).hasMessageContaining("u.item:1: genre flag 9 is 'yes', expected 0 or 1");
  }

  @Test
  void malformedCsvAndMissingFilesAreExplained(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("movies.csv"), "movieId,title,genres\n1,Heat (1995),Action\n");
    Files.writeString(dir.resolve("ratings.csv"), "user,movie,rating,timestamp\n1,1,4.0,1\n");
    assertThatThrownBy(() -> MovieLensLatest.read(dir))
        .hasMessageContaining("ratings.csv:1: expected header userId,movieId,rating,timestamp");

    Files.writeString(dir.resolve("ratings.csv"), "userId,movieId,rating,timestamp\n1,1,4.0,1\n1,1\n");
    assertThatThrownBy(() -> MovieLensLatest.read(dir))
        .hasMessageContaining("ratings.csv:3: expected 4 fields (userId,movieId,rating,timestamp), found 2");

    assertThatThrownBy(() -> MovieLens1m.read(dir)).hasMessageContaining("missing file")
        .hasMessageContaining("movies.dat").hasMessageContaining("MovieID::Title::Genres");
  }

  @Test
  void unknownFormatsListTheKnownOnes() {
    assertThatThrownBy(() -> DatasetFormat.of("netflix"))
        .hasMessageContaining("unknown data format 'netflix'")
        .hasMessageContaining("movielens-100k");
    assertThat(DatasetFormat.of("MovieLens-1M")).isEqualTo(DatasetFormat.MOVIELENS_1M);
  }
}
