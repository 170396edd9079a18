package io.recsys.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.recsys.api.v1.Context;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RecommendRequest;
import io.recsys.api.v1.RecommendResponse;
import io.recsys.api.v1.RecommenderServiceGrpc;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.Interaction;
import io.recsys.common.index.ItemShards;
import io.recsys.common.index.ItemVectorSearcher;
import io.recsys.common.server.RecsysServer;
import io.recsys.common.server.ServerCommand;
import io.recsys.gateway.GatewayServerCommand;
import io.recsys.gateway.pipeline.CandidateSource;
import io.recsys.gateway.pipeline.CandidateSource.Answer;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.sources.RemoteRetrievalSource;
import io.recsys.gateway.sources.ShardedRetrievalSource;
import io.recsys.models.export.BundleResharder;
import io.recsys.models.testing.TestBundles;
import io.recsys.ranking.RankingServerCommand;
import io.recsys.retrieval.RetrievalServerCommand;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The same trained bundle served whole by one retrieval server and as 3 index shards by three
 * (each {@code --shard I/3}), real servers on free ports: the gateway's fan-out over the shards
 * must answer exactly what the whole index answers, and a stopped shard must make answers partial
 * (marked), never failed.
 */
class ShardedRetrievalTest {

  static final int SHARDS = 3;
  static final long TIMEOUT_MS = 5_000;

  @TempDir
  static Path tmp;
  static TestBundles.Fixture fixture;
  static Path sharded;
  static ItemCatalog catalog;
  static RecsysServer whole;
  /** The sharded bundle served by one server without --shard: every shard, as the quickstart would. */
  static RecsysServer allShards;
  static final RecsysServer[] shards = new RecsysServer[SHARDS];
  static ManagedChannel wholeChannel;
  static ManagedChannel allShardsChannel;
  static final List<ManagedChannel> shardChannels = new ArrayList<>();

  @BeforeAll
  static void startServers() throws Exception {
    fixture = TestBundles.small();
    sharded = BundleResharder.reshard(fixture.bundleDir(), tmp.resolve("sharded"), SHARDS, line -> {}).dir();
    catalog = ItemCatalog.read(fixture.bundleDir().resolve("items.tsv"));
    whole = start(new RetrievalServerCommand(), "--port", "0", "--bundle", fixture.bundleDir().toString());
    wholeChannel = channel(whole.port());
    allShards = start(new RetrievalServerCommand(), "--port", "0", "--bundle", sharded.toString());
    allShardsChannel = channel(allShards.port());
    for (int s = 0; s < SHARDS; s++) {
      shards[s] = startShard(s, 0);
      shardChannels.add(channel(shards[s].port()));
    }
  }

  @AfterAll
  static void stopServers() throws Exception {
    wholeChannel.shutdownNow();
    allShardsChannel.shutdownNow();
    allShards.close();
    shardChannels.forEach(ManagedChannel::shutdownNow);
    whole.close();
    for (RecsysServer s : shards) {
      s.close();
    }
  }

  @Test
  void theBundleRecordsItsShardsAndEachShardServesOnlyItsItems() throws IOException {
    assertThat(Manifest.read(sharded.resolve("manifest.json")).indexShards()).isEqualTo(SHARDS);
    assertThat(Manifest.read(fixture.bundleDir().resolve("manifest.json")).indexShards()).isEqualTo(1);
    Answer fromShard1 = shardSource(1, 1_000).fetch(query(0), deadline()).join();
    assertThat(fromShard1.candidates()).isNotEmpty()
        .allMatch(c -> ItemShards.shard(c.itemId(), SHARDS) == 1);
  }

  /**
   * Exact on both sides: the catalog (630 x 32 floats) is under the exact-scan limit, so the whole
   * index and every shard are scanned, not searched approximately, and equality is the claim.
   * k = 10 and 100 cut each shard's ~210 items; k = 500 takes all of them and checks the merge order.
   * A server without --shard on the sharded bundle (all shards in one process) answers the same.
   */
  @Test
  void theShardsTogetherAnswerExactlyTheWholeIndexsCandidatesAndScores() {
    assertThat((long) catalog.size() * 32).isLessThanOrEqualTo(ItemVectorSearcher.DEFAULT_EXACT_SCAN_MAX_FLOATS);
    for (int k : new int[] {10, 100, 200, 500}) {
      CandidateSource unsharded = new RemoteRetrievalSource(CandidateSources.TWO_TOWER,
          RetrievalServiceGrpc.newFutureStub(wholeChannel), k, TIMEOUT_MS, true);
      CandidateSource fanOut = shardedSource(k);
      CandidateSource oneServerAllShards = new RemoteRetrievalSource(CandidateSources.TWO_TOWER,
          RetrievalServiceGrpc.newFutureStub(allShardsChannel), k, TIMEOUT_MS, true);
      for (int u = 0; u < 12; u++) {
        RecommendQuery q = query(u * 31);
        Answer expected = unsharded.fetch(q, deadline()).join();
        Answer merged = fanOut.fetch(q, deadline()).join();
        assertThat(merged.partial()).isFalse();
        assertThat(expected.candidates()).hasSize(Math.min(k, catalog.size() - q.excludedItemIds().size()));
        assertThat(merged.candidates()).as("user %d, k %d", u * 31, k).containsExactlyElementsOf(expected.candidates());
        assertThat(oneServerAllShards.fetch(q, deadline()).join().candidates()).as("all shards in one server")
            .containsExactlyElementsOf(expected.candidates());
        Set<Integer> shardsUsed = new HashSet<>();
        merged.candidates().forEach(c -> shardsUsed.add(ItemShards.shard(c.itemId(), SHARDS)));
        assertThat(shardsUsed).as("every shard contributes").hasSize(SHARDS);
      }
    }
  }

  @Test
  void aShardServerRefusesABundleWithAnotherShardCount() {
    assertThatThrownBy(() -> start(new RetrievalServerCommand(), "--port", "0", "--bundle", sharded.toString(),
        "--shard", "0/2"))
        .isInstanceOf(IOException.class).hasMessageContaining("has 3 index shard(s)");
    assertThatThrownBy(() -> start(new RetrievalServerCommand(), "--port", "0", "--bundle", sharded.toString(),
        "--shard", "3/3"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, N)");
  }

  /**
   * Two gateways over one ranking server: one in front of the whole index, one fanning out to the
   * shards (popular from shard 0). Same answers; with shard 2 stopped every answer is partial and
   * says so, none fails; with it restarted on its port, answers are whole again.
   */
  @Test
  void aStoppedShardMakesAnswersPartialNotFailedUntilItIsBack() throws Exception {
    try (RecsysServer ranking = start(new RankingServerCommand(), "--port", "0", "--bundle",
             fixture.bundleDir().toString());
         RecsysServer plain = startGateway(fixture.bundleDir(), "plain", ranking, "localhost:" + whole.port());
         RecsysServer fanOut = startGateway(sharded, "fan-out", ranking, "localhost:" + shards[0].port(),
             "--retrieval-shards", shardTargets())) {
      ManagedChannel plainChannel = channel(plain.port());
      ManagedChannel fanOutChannel = channel(fanOut.port());
      try {
        for (int u = 0; u < 8; u++) {
          RecommendResponse a = recommend(plainChannel, u * 17);
          RecommendResponse b = recommend(fanOutChannel, u * 17);
          assertThat(b.getDegraded()).as("reasons %s", b.getDegradedReasonsList()).isFalse();
          assertThat(b.getItemsList()).isEqualTo(a.getItemsList());
        }

        int port = shards[2].port();
        shards[2].close();
        for (int u = 0; u < 20; u++) {
          RecommendResponse r = recommend(fanOutChannel, u);
          assertThat(r.getItemsCount()).isEqualTo(20);
          assertThat(r.getDegraded()).isTrue();
          assertThat(r.getDegradedReasonsList()).anyMatch(reason ->
              reason.startsWith("candidate source two_tower partial: shard 2/3 (localhost:" + port + ")"));
          assertThat(r.getItemsList()).allMatch(i -> !i.getSourcesList().contains(CandidateSources.TWO_TOWER)
              || ItemShards.shard(i.getItemId(), SHARDS) != 2);
          assertThat(r.getDebug().getStagesList()).anyMatch(s -> s.getStage().equals("source:two_tower")
              && s.getStatus().startsWith("partial: shard 2/3"));
        }

        shards[2] = startShard(2, port);
        // the channel reconnects after its backoff (about a second, growing while the shard was down)
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        RecommendResponse r = recommend(fanOutChannel, 1);
        while (r.getDegraded() && System.nanoTime() < until) {
          Thread.sleep(200);
          r = recommend(fanOutChannel, 1);
        }
        assertThat(r.getDegraded()).as("reasons %s", r.getDegradedReasonsList()).isFalse();
        for (int u = 0; u < 5; u++) {
          RecommendResponse back = recommend(fanOutChannel, u * 17);
          assertThat(back.getDegraded()).as("reasons %s", back.getDegradedReasonsList()).isFalse();
          assertThat(back.getItemsList()).isEqualTo(recommend(plainChannel, u * 17).getItemsList());
        }
      } finally {
        plainChannel.shutdownNow();
        fanOutChannel.shutdownNow();
      }
    }
  }

  private static RecommendResponse recommend(ManagedChannel channel, int user) {
    // a failed call throws: the test counts on none
    return RecommenderServiceGrpc.newBlockingStub(channel).withDeadlineAfter(20, TimeUnit.SECONDS)
        .recommend(RecommendRequest.newBuilder().setUserId(fixture.dataset().userIds().get(user)).setK(20)
            .setDebug(true).build());
  }

  private static String shardTargets() {
    List<String> targets = new ArrayList<>();
    for (RecsysServer s : shards) {
      targets.add("localhost:" + s.port());
    }
    return String.join(",", targets);
  }

  private static RecsysServer startGateway(Path bundle, String name, RecsysServer ranking, String retrieval,
                                           String... extra) throws IOException {
    List<String> args = new ArrayList<>(List.of("--port", "0", "--bundle", bundle.toString(),
        "--event-log", "file:" + tmp.resolve("events-" + name), "--retrieval", retrieval,
        "--ranking", "localhost:" + ranking.port(), "--source-timeout-ms", "3000", "--ranking-timeout-ms", "3000"));
    args.addAll(Arrays.asList(extra));
    return start(new GatewayServerCommand(), args.toArray(String[]::new));
  }

  private static RecsysServer startShard(int shard, int port) throws IOException {
    return start(new RetrievalServerCommand(), "--port", Integer.toString(port), "--bundle", sharded.toString(),
        "--shard", shard + "/" + SHARDS);
  }

  private static CandidateSource shardedSource(int k) {
    List<RemoteRetrievalSource> perShard = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int s = 0; s < SHARDS; s++) {
      perShard.add(shardSource(s, k));
      targets.add("localhost:" + shards[s].port());
    }
    return new ShardedRetrievalSource(CandidateSources.TWO_TOWER, perShard, targets, k, TIMEOUT_MS, catalog);
  }

  private static RemoteRetrievalSource shardSource(int shard, int k) {
    return new RemoteRetrievalSource(CandidateSources.TWO_TOWER,
        RetrievalServiceGrpc.newFutureStub(shardChannels.get(shard)), k, TIMEOUT_MS, true);
  }

  /** A known user with their last 5 events as the session (so exclusions are exercised too). */
  private static RecommendQuery query(int user) {
    List<Interaction> history = fixture.dataset().histories().get(user);
    List<Event> events = new ArrayList<>();
    for (Interaction e : history.subList(Math.max(0, history.size() - 5), history.size())) {
      events.add(Event.newBuilder().setItemId(catalog.id(e.itemIndex())).setType(EventType.CLICK)
          .setTimestampMs(e.timestampMs()).build());
    }
    return RecommendQuery.of(fixture.dataset().userIds().get(user), events, Context.getDefaultInstance(),
        Filters.getDefaultInstance(), 10, false, System.currentTimeMillis());
  }

  private static io.grpc.Deadline deadline() {
    return io.grpc.Deadline.after(TIMEOUT_MS, TimeUnit.MILLISECONDS);
  }

  private static ManagedChannel channel(int port) {
    return ManagedChannelBuilder.forAddress("localhost", port).usePlaintext().build();
  }

  private static RecsysServer start(ServerCommand command, String... args) throws IOException {
    new CommandLine(command).parseArgs(args);
    return command.start();
  }
}
