package io.recsys.gateway.sources;

import io.grpc.Deadline;
import io.grpc.Status;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.RecommendQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

/**
 * A vector source whose item index is split over several retrieval servers, one per shard
 * ({@code serve retrieval --shard I/N}): every shard is asked for the whole quota at once, and the
 * best quota of all their answers is kept. A shard returns the top k of its own items, so when all
 * answer the merge is exactly the unsharded top k (with exact search on both sides; HNSW is
 * approximate per shard as it is on the whole). Ties are broken by catalog order, as the
 * retrieval server breaks them by item index, so the cut-off is the same set either way.
 *
 * <p>A shard that fails or misses the deadline leaves its items out: the answer is partial, with
 * a reason per missing shard, and the request goes on. Only when no shard answers does the source
 * fail.
 */
public final class ShardedRetrievalSource implements CandidateSource {

  private final String source;
  private final List<RemoteRetrievalSource> shards;
  private final List<String> targets;
  private final int quota;
  private final long timeoutMs;
  private final Comparator<Retrieved> bestFirst;

  /**
   * @param shards one client per shard, in shard order, each asking for {@code quota}
   * @param targets each shard's address, for the reasons of a partial answer
   * @param catalog the gateway's catalog: its order breaks score ties
   */
  public ShardedRetrievalSource(String source, List<RemoteRetrievalSource> shards, List<String> targets,
                                int quota, long timeoutMs, ItemCatalog catalog) {
    if (shards.isEmpty() || shards.size() != targets.size()) {
      throw new IllegalArgumentException(shards.size() + " shard clients for " + targets.size() + " targets");
    }
    this.source = source;
    this.shards = List.copyOf(shards);
    this.targets = List.copyOf(targets);
    this.quota = quota;
    this.timeoutMs = timeoutMs;
    this.bestFirst = Comparator.comparing(Retrieved::score, Comparator.reverseOrder())
        .thenComparingInt(r -> catalogOrder(catalog, r.itemId()))
        .thenComparing(Retrieved::itemId);
  }

  /** Items the gateway's catalog does not know yet (a newer bundle or live items) come after known ones. */
  private static int catalogOrder(ItemCatalog catalog, String itemId) {
    int index = catalog.indexOf(itemId);
    return index < 0 ? Integer.MAX_VALUE : index;
  }

  @Override
  public String name() {
    return source;
  }

  @Override
  public long timeoutMs() {
    return timeoutMs;
  }

  @Override
  public CompletableFuture<Answer> fetch(RecommendQuery query, Deadline deadline) {
    List<CompletableFuture<Answer>> calls = new ArrayList<>(shards.size());
    for (RemoteRetrievalSource shard : shards) {
      calls.add(shard.fetch(query, deadline));
    }
    CompletableFuture<Answer> merged = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        // the pipeline gave up on this source: abandon every shard's call
        calls.forEach(c -> c.cancel(mayInterruptIfRunning));
        return super.cancel(mayInterruptIfRunning);
      }
    };
    CompletableFuture.allOf(calls.stream().map(c -> c.exceptionally(t -> null)).toArray(CompletableFuture[]::new))
        .whenComplete((done, t) -> {
          try {
            merged.complete(merge(calls));
          } catch (RuntimeException e) {
            merged.completeExceptionally(e);
          }
        });
    return merged;
  }

  /** Every answered shard's candidates, best {@code quota} first; a reason per shard that did not answer. */
  private Answer merge(List<CompletableFuture<Answer>> calls) {
    List<Retrieved> all = new ArrayList<>(quota * calls.size());
    List<String> missing = new ArrayList<>();
    int failed = 0;
    for (int s = 0; s < calls.size(); s++) {
      CompletableFuture<Answer> call = calls.get(s);
      if (call.state() == Future.State.SUCCESS) {
        all.addAll(call.resultNow().candidates());
        missing.addAll(call.resultNow().missing());
      } else {
        failed++;
        missing.add("shard " + s + "/" + calls.size() + " (" + targets.get(s) + ") " + reason(call));
      }
    }
    if (failed == calls.size()) {
      throw Status.UNAVAILABLE.withDescription("no shard answered: " + String.join("; ", missing))
          .asRuntimeException();
    }
    all.sort(bestFirst);
    return new Answer(all.subList(0, Math.min(quota, all.size())), missing);
  }

  private static String reason(CompletableFuture<Answer> call) {
    if (call.state() != Future.State.FAILED) {
      return "cancelled";
    }
    Status status = Status.fromThrowable(call.exceptionNow());
    return status.getCode() == Status.Code.DEADLINE_EXCEEDED ? "missed the deadline"
        : "failed: " + status.getCode() + (status.getDescription() == null ? "" : ": " + status.getDescription());
  }
}
