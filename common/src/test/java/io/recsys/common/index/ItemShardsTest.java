package io.recsys.common.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ItemShardsTest {

  @Test
  void hashIsStandardFnv1a64OfUtf8() {
    // Published FNV-1a 64 test vectors: the hash must never drift between versions.
    assertThat(ItemShards.fnv1a64("")).isEqualTo(0xcbf29ce484222325L);
    assertThat(ItemShards.fnv1a64("a")).isEqualTo(0xaf63dc4c8601ec8cL);
    assertThat(ItemShards.fnv1a64("foobar")).isEqualTo(0x85944171f73967e8L);
  }

  @Test
  void shardIsPinnedAndInRange() {
    // Pinned values: changing them would re-home items of existing sharded bundles.
    assertThat(ItemShards.shard("a", 3)).isEqualTo(Long.remainderUnsigned(0xaf63dc4c8601ec8cL, 3));
    assertThat(ItemShards.shard("item-42", 1)).isZero();
    int[] counts = new int[4];
    for (int i = 0; i < 40_000; i++) {
      int s = ItemShards.shard("item-" + i, 4);
      assertThat(s).isBetween(0, 3);
      counts[s]++;
    }
    for (int c : counts) {
      assertThat(c).isBetween(9_000, 11_000);
    }
  }

  @Test
  void rejectsNonPositiveShardCount() {
    assertThatThrownBy(() -> ItemShards.shard("a", 0)).isInstanceOf(IllegalArgumentException.class);
  }
}
