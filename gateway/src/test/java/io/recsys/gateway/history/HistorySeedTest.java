package io.recsys.gateway.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistorySeedTest {

  @TempDir
  Path dir;

  @Test
  void readsEachUsersEvents() throws IOException {
    Path tsv = dir.resolve("recent_history.tsv");
    Files.writeString(tsv, "user_id\titem_id\ttype\ttimestamp_ms\tvalue\n"
        + "u1\ti1\tVIEW\t100\t0\nu1\ti2\tPURCHASE\t200\t1\nu2\ti3\tWATCH\t150\t42.5\n");
    Map<String, List<Event>> seed = HistorySeed.read(tsv);
    assertThat(seed).containsOnlyKeys("u1", "u2");
    assertThat(seed.get("u1")).extracting(Event::getType).containsExactly(EventType.VIEW, EventType.PURCHASE);
    assertThat(seed.get("u2").getFirst().getValue()).isEqualTo(42.5);
    assertThat(HistorySeed.read(dir.resolve("absent.tsv"))).isEmpty();
  }

  @Test
  void aBadSeedNamesTheLine() throws IOException {
    Path tsv = dir.resolve("recent_history.tsv");
    Files.writeString(tsv, "user_id\titem_id\ttype\ttimestamp_ms\tvalue\nu1\ti1\tLIKE\t100\t0\n");
    assertThatThrownBy(() -> HistorySeed.read(tsv)).hasMessageContaining(":2: unknown event type 'LIKE'");
  }
}
