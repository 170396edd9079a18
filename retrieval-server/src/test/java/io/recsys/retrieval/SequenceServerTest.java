package io.recsys.retrieval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Candidate;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.ListSourcesRequest;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.api.v1.RetrieveResponse;
import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.bundle.Popularity;
import io.recsys.models.testing.TestBundles;
import io.recsys.retrieval.bundle.RetrievalBundle;
import io.recsys.retrieval.testing.RunningRetrieval;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sequence source on a real port over the small trained bundle, whose synthetic sessions stay
 * in one category: what a user did last should decide what comes back, not what they did before.
 */
class SequenceServerTest {

  static final int TOP = 20;
  /** Events per session in a probe. */
  static final int SESSION = 5;

  static TestBundles.Fixture fixture;
  static ItemCatalog items;
  static int[] ranked;
  static RunningRetrieval server;

  @BeforeAll
  static void start() throws IOException {
    fixture = TestBundles.small();
    items = fixture.dataset().items();
    ranked = Popularity.read(new BundleLayout(fixture.bundleDir()).popularity(), items.size()).ranked();
    server = RunningRetrieval.start(fixture.bundleDir());
  }

  @AfterAll
  static void stop() throws InterruptedException {
    server.close();
  }

  @Test
  void isListedBesideTheOtherSources() {
    assertThat(server.stub().listSources(ListSourcesRequest.getDefaultInstance()).getSourcesList())
        .contains("sequence", "two_tower", "popular", "item2item");
  }

  /**
   * A session in category A and then one in category B: the answer should follow B, the newer one.
   * A source that read the history as a set would split between the two.
   */
  @Test
  void theNewestSessionDecidesWhatComesNext() {
    List<String> categories = IntStream.range(0, items.size()).mapToObj(i -> items.get(i).category())
        .distinct().sorted().toList();
    double newer = 0;
    double older = 0;
    long now = System.currentTimeMillis();
    for (int c = 0; c < categories.size(); c++) {
      String a = categories.get(c);
      String b = categories.get((c + 1) % categories.size());
      List<Event> history = new ArrayList<>(session(a, now - 3_600_000L));
      history.addAll(session(b, now - 60_000L));
      RetrieveResponse r = server.stub().retrieve(request("new-user", TOP).addAllRecentEvents(history).build());
      assertThat(r.getCandidatesCount()).isEqualTo(TOP);
      assertThat(r.getSource()).isEqualTo("sequence");
      newer += share(r, b);
      older += share(r, a);
    }
    newer /= categories.size();
    older /= categories.size();
    System.out.printf("sequence top %d after a session in A then one in B: %.3f in B, %.3f in A (%d categories)%n",
        TOP, newer, older, categories.size());
    assertThat(newer).isGreaterThanOrEqualTo(0.5).isGreaterThan(2 * older);
  }

  @Test
  void excludedItemsAreNotReturnedAndNoHistoryGetsNothing() {
    RetrieveRequest.Builder ask = request("u", TOP).addAllRecentEvents(session(items.get(0).category(),
        System.currentTimeMillis()));
    List<String> first = ids(server.stub().retrieve(ask.build()));
    assertThat(first).hasSize(TOP);
    List<String> next = ids(server.stub().retrieve(ask.addAllExcludeItemIds(first.subList(0, 5)).build()));
    assertThat(next).hasSize(TOP).doesNotContainAnyElementsOf(first.subList(0, 5)).contains(first.get(5));
    assertThat(server.stub().retrieve(request("never-seen-user", TOP).build()).getCandidatesCount()).isZero();
  }

  /** A bundle exported before the sequence model (no manifest entry, no sequence/) loads without the source. */
  @Test
  void aBundleWithoutASequenceModelLoadsWithoutTheSource(@TempDir Path tmp) throws Exception {
    BundleLayout old = new BundleLayout(TestBundles.copy(fixture.bundleDir(), tmp.resolve("old")));
    Manifest.read(old.manifest()).withSequence(null).write(old.manifest());
    try (Stream<Path> files = Files.walk(old.sequence())) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    try (RetrievalBundle b = RetrievalBundle.load(old.dir())) {
      assertThat(b.sourceNames()).contains("two_tower", "popular").doesNotContain("sequence");
    }
    try (RunningRetrieval oldServer = RunningRetrieval.start(old.dir())) {
      assertThatThrownBy(() -> oldServer.stub().retrieve(request("u", TOP).build()))
          .isInstanceOfSatisfying(StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND));
    }
  }

  /** The category's most popular items, one event a minute up to {@code end}. */
  static List<Event> session(String category, long end) {
    List<Event> out = new ArrayList<>();
    for (int r = 0; r < ranked.length && out.size() < SESSION; r++) {
      if (items.get(ranked[r]).category().equals(category)) {
        out.add(Event.newBuilder().setItemId(items.id(ranked[r])).setType(EventType.VIEW)
            .setTimestampMs(end - 60_000L * (SESSION - out.size())).build());
      }
    }
    return out;
  }

  static double share(RetrieveResponse r, String category) {
    return r.getCandidatesList().stream()
        .filter(c -> items.get(items.indexOf(c.getItemId())).category().equals(category)).count()
        / (double) r.getCandidatesCount();
  }

  static List<String> ids(RetrieveResponse r) {
    return r.getCandidatesList().stream().map(Candidate::getItemId).toList();
  }

  static RetrieveRequest.Builder request(String userId, int k) {
    return RetrieveRequest.newBuilder().setSource("sequence").setUserId(userId).setK(k);
  }
}
