package io.recsys.gateway.sources;

import static io.recsys.gateway.testing.TestBundle.id;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.recsys.api.v1.Context;
import io.recsys.api.v1.Filters;
import io.recsys.api.v1.RetrievalServiceGrpc;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.features.CandidateSources;
import io.recsys.gateway.pipeline.CandidateSource.Answer;
import io.recsys.gateway.pipeline.CandidateSource.Retrieved;
import io.recsys.gateway.pipeline.RecommendQuery;
import io.recsys.gateway.testing.FakeRetrieval;
import io.recsys.gateway.testing.TestBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The two-tower fan-out over three fake shard servers (in-process gRPC): merge order, partial answers. */
class ShardedRetrievalSourceTest {

  static final String TWO_TOWER = CandidateSources.TWO_TOWER;

  @TempDir
  Path dir;
  ItemCatalog catalog;
  final List<FakeRetrieval> shards = new ArrayList<>();
  final List<Server> servers = new ArrayList<>();
  final List<ManagedChannel> channels = new ArrayList<>();

  @BeforeEach
  void startShards() throws IOException {
    catalog = ItemCatalog.read(TestBundle.write(dir).resolve("items.tsv"));
    // the fake scores by position: 1.0, 0.99, ... so the shards' first items tie
    shards.add(new FakeRetrieval().answer(TWO_TOWER, List.of(id(5), id(1), id(20))));
    shards.add(new FakeRetrieval().answer(TWO_TOWER, List.of(id(2), id(7))));
    shards.add(new FakeRetrieval().answer(TWO_TOWER, List.of(id(9), id(0), id(3))));
    for (FakeRetrieval shard : shards) {
      String name = InProcessServerBuilder.generateName();
      servers.add(InProcessServerBuilder.forName(name).addService(shard).build().start());
      channels.add(InProcessChannelBuilder.forName(name).directExecutor().build());
    }
  }

  @AfterEach
  void stop() {
    channels.forEach(ManagedChannel::shutdownNow);
    servers.forEach(Server::shutdownNow);
  }

  @Test
  void keepsTheBestQuotaOfAllShardsTiesInCatalogOrder() {
    Answer a = source(5, 2_000).fetch(query(), Deadline.after(2, TimeUnit.SECONDS)).join();
    assertThat(a.partial()).isFalse();
    assertThat(a.candidates()).containsExactly(new Retrieved(id(2), 1f), new Retrieved(id(5), 1f),
        new Retrieved(id(9), 1f), new Retrieved(id(0), 0.99f), new Retrieved(id(1), 0.99f));
  }

  @Test
  void aShardThatMissesTheDeadlineLeavesAPartialAnswerNamingIt() {
    shards.get(1).delay(TWO_TOWER, 2_000);
    long start = System.nanoTime();
    Answer a = source(10, 200).fetch(query(), Deadline.after(200, TimeUnit.MILLISECONDS)).join();
    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isLessThan(1_500);
    assertThat(a.candidates()).extracting(Retrieved::itemId)
        .containsExactly(id(5), id(9), id(0), id(1), id(3), id(20));
    assertThat(a.missing()).singleElement().asString().isEqualTo("shard 1/3 (shard-1) missed the deadline");
  }

  @Test
  void aFailedShardIsNamedWithItsStatus() {
    shards.get(2).breakSource(TWO_TOWER);
    Answer a = source(10, 2_000).fetch(query(), Deadline.after(2, TimeUnit.SECONDS)).join();
    assertThat(a.candidates()).extracting(Retrieved::itemId).containsExactly(id(2), id(5), id(1), id(7), id(20));
    assertThat(a.missing()).containsExactly("shard 2/3 (shard-2) failed: UNAVAILABLE: two_tower is down");
  }

  @Test
  void failsOnlyWhenNoShardAnswers() {
    shards.forEach(s -> s.breakSource(TWO_TOWER));
    assertThatThrownBy(() -> source(10, 2_000).fetch(query(), Deadline.after(2, TimeUnit.SECONDS)).join())
        .isInstanceOf(CompletionException.class)
        .satisfies(e -> {
          Status s = Status.fromThrowable(e.getCause());
          assertThat(s.getCode()).isEqualTo(Status.Code.UNAVAILABLE);
          assertThat(s.getDescription()).startsWith("no shard answered: shard 0/3");
        });
  }

  private ShardedRetrievalSource source(int quota, long timeoutMs) {
    List<RemoteRetrievalSource> perShard = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int s = 0; s < channels.size(); s++) {
      perShard.add(new RemoteRetrievalSource(TWO_TOWER, RetrievalServiceGrpc.newFutureStub(channels.get(s)), quota,
          timeoutMs, true));
      targets.add("shard-" + s);
    }
    return new ShardedRetrievalSource(TWO_TOWER, perShard, targets, quota, timeoutMs, catalog);
  }

  private static RecommendQuery query() {
    return RecommendQuery.of("u1", List.of(), Context.getDefaultInstance(), Filters.getDefaultInstance(), 10, false,
        System.currentTimeMillis());
  }
}
