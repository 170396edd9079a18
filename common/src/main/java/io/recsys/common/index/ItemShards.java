package io.recsys.common.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * Which shard owns an item: {@code shard(id, n)} in {@code [0, n)}, from the external item id alone.
 *
 * <p>The hash is 64-bit FNV-1a over the UTF-8 bytes of the id (offset basis 0xcbf29ce484222325,
 * prime 0x100000001b3), reduced by an unsigned remainder. It is part of the bundle contract: a
 * bundle written with N shards, the retrieval server serving shard I/N and a catalog upsert routed
 * to the owning shard must agree, across versions and JVMs, so this function must never change
 * (String.hashCode is avoided for that reason: it depends on UTF-16 code units and has poor low
 * bits for short ids). ItemShardsTest pins known values.
 */
public final class ItemShards {

  private static final long FNV64_OFFSET_BASIS = 0xcbf29ce484222325L;
  private static final long FNV64_PRIME = 0x100000001b3L;

  private ItemShards() {}

  /** The shard in {@code [0, shards)} that owns {@code itemId}. */
  public static int shard(String itemId, int shards) {
    if (shards < 1) {
      throw new IllegalArgumentException("shards must be >= 1, got " + shards);
    }
    return (int) Long.remainderUnsigned(fnv1a64(itemId), shards);
  }

  /**
   * The item indices each shard owns, ascending: {@code [shard][j]}.
   *
   * @param itemId the external id of item index i
   */
  public static int[][] partition(int items, IntFunction<String> itemId, int shards) {
    int[] shardOf = new int[items];
    int[] counts = new int[shards];
    for (int i = 0; i < items; i++) {
      shardOf[i] = shard(itemId.apply(i), shards);
      counts[shardOf[i]]++;
    }
    int[][] out = new int[shards][];
    for (int s = 0; s < shards; s++) {
      out[s] = new int[counts[s]];
    }
    Arrays.fill(counts, 0);
    for (int i = 0; i < items; i++) {
      out[shardOf[i]][counts[shardOf[i]]++] = i;
    }
    return out;
  }

  /** 64-bit FNV-1a of the id's UTF-8 bytes. */
  static long fnv1a64(String itemId) {
    long hash = FNV64_OFFSET_BASIS;
    for (byte b : itemId.getBytes(StandardCharsets.UTF_8)) {
      hash ^= b & 0xff;
      hash *= FNV64_PRIME;
    }
    return hash;
  }
}
