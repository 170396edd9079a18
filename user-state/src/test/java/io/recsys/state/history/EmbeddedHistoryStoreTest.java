package io.recsys.state.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.state.testing.Records;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedHistoryStoreTest extends HistoryStoreContract {

  @Override
  protected HistoryStore open(int maxPerUser) {
    return HistoryStores.open("embedded", maxPerUser, 1000);
  }

  @Test
  void keepsAtMostMaxUsersDroppingTheLeastRecentlyUsed() {
    EmbeddedHistoryStore store = new EmbeddedHistoryStore(5, 3);
    Event view = Records.event("i1", EventType.VIEW, 1);
    store.append("a", List.of(view));
    store.append("b", List.of(view));
    store.append("c", List.of(view));
    store.recent("a");                       // a is used again: b is now the least recently used
    store.append("d", List.of(view));
    assertThat(store.users()).isEqualTo(3);
    assertThat(store.size("b")).isZero();
    assertThat(store.size("a")).isEqualTo(1);
    assertThat(store.size("d")).isEqualTo(1);
  }

  @Test
  void badSpecsAreNamed() {
    assertThatThrownBy(() -> HistoryStores.open("memcached://x:1", 10, 10)).hasMessageContaining("use embedded or redis://HOST:PORT");
    assertThatThrownBy(() -> HistoryStores.open("redis:x", 10, 10)).hasMessageContaining("needs redis://HOST:PORT");
    assertThatThrownBy(() -> HistoryStores.open("redis://x:1?ttl=3", 10, 10)).hasMessageContaining("unknown option 'ttl=3'");
    assertThatThrownBy(() -> HistoryStores.open("redis://x:1?timeout-ms=0", 10, 10)).hasMessageContaining("at least 1");
  }
}
