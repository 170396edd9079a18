package io.recsys.cli;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommendedItem;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.StageTiming;
import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/** A plaintext channel to the gateway and the table printer shared by quickstart and recommend. */
final class GatewayClient implements AutoCloseable {

  private final ManagedChannel channel;

  GatewayClient(String target) {
    this.channel = ManagedChannelBuilder.forTarget(target).usePlaintext().build();
  }

  RecommenderServiceGrpc.RecommenderServiceBlockingStub stub(long timeoutMs) {
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS);
  }

  static void print(RecommendResponse r, PrintStream out) {
    out.printf("  %-4s %-10s %-8s %-12s %-28s %s%n", "rank", "item", "score", "category", "title", "sources");
    int rank = 1;
    for (RecommendedItem it : r.getItemsList()) {
      out.printf("  %-4d %-10s %-8.4f %-12s %-28s %s%n", rank++, it.getItemId(), it.getScore(),
          it.getCategory(), abbreviate(it.getTitle(), 28), String.join("+", it.getSourcesList()));
    }
    out.printf("  model %s%s%n", r.getModelVersion(),
        r.getDegraded() ? "  DEGRADED: " + String.join("; ", r.getDegradedReasonsList()) : "");
    if (r.hasDebug()) {
      for (StageTiming s : r.getDebug().getStagesList()) {
        out.printf("    %-28s %7.2f ms  %4d -> %-4d %s%n", s.getStage(), s.getMicros() / 1000.0,
            s.getCandidatesIn(), s.getCandidatesOut(), s.getStatus());
      }
    }
  }

  private static String abbreviate(String s, int n) {
    return s.length() <= n ? s : s.substring(0, n - 1) + "…";
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdown();
    if (!channel.awaitTermination(5, TimeUnit.SECONDS)) {
      channel.shutdownNow();
    }
  }
}
