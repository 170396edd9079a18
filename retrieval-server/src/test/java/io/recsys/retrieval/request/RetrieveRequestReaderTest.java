package io.recsys.retrieval.request;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.recsys.api.v1.Event;
import io.recsys.api.v1.EventType;
import io.recsys.api.v1.RetrieveRequest;
import io.recsys.common.bundle.ItemCatalog;
import io.recsys.common.bundle.UserTable;
import io.recsys.retrieval.request.RetrieveRequestReader.Retrieval;
import java.util.Collections;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

class RetrieveRequestReaderTest {

  static final long NOW = 1_700_000_000_000L;

  final ItemCatalog items = ItemCatalog.withCategoryIndices(List.of(
      new ItemCatalog.Item("a", "books", 0, 1f, 0, "A"),
      new ItemCatalog.Item("b", "music", 0, 1f, 0, "B"),
      new ItemCatalog.Item("c", "books", 0, 1f, 0, "C")));
  final UserTable users = new UserTable(List.of("alice", "bob"));
  final RetrieveRequestReader reader = new RetrieveRequestReader(100);

  RetrieveRequest.Builder request() {
    return RetrieveRequest.newBuilder().setSource("popular").setUserId("bob").setK(10);
  }

  Retrieval read(RetrieveRequest.Builder r) {
    return reader.read(r.build(), items, users, NOW);
  }

  @Test
  void resolvesUserEventsAndExclusionsAgainstTheBundle() {
    Retrieval r = read(request()
        .addRecentEvents(Event.newBuilder().setItemId("c").setType(EventType.CLICK).setTimestampMs(NOW - 10))
        .addRecentEvents(Event.newBuilder().setItemId("new-item").setType(EventType.VIEW))
        .addRecentEvents(Event.newBuilder().setItemId("a").setType(EventType.VIEW).setTimestampMs(NOW - 20))
        .addAllExcludeItemIds(List.of("b", "unknown", "b")));
    assertThat(r.query().userIndex()).isEqualTo(2);
    assertThat(r.query().history()).extracting(e -> e.itemIndex()).containsExactly(0, 2);
    assertThat(r.k()).isEqualTo(10);
    assertThat(r.excluded().size()).isEqualTo(1);
    assertThat(r.excluded().test(1)).isTrue();
  }

  @Test
  void unknownUserIsTheColdStartUser() {
    assertThat(read(request().setUserId("someone-new")).query().userIndex()).isEqualTo(UserTable.UNKNOWN);
  }

  @Test
  void rejectsKOutsideTheAllowedRange() {
    expect(() -> read(request().setK(0)), Status.Code.INVALID_ARGUMENT, "k is 0; ask for 1..100");
    expect(() -> read(request().setK(101)), Status.Code.INVALID_ARGUMENT, "k is 101; ask for 1..100");
  }

  @Test
  void rejectsMissingUserId() {
    expect(() -> read(request().setUserId("")), Status.Code.INVALID_ARGUMENT, "user_id is required");
  }

  @Test
  void rejectsMalformedEventsNamingThem() {
    expect(() -> read(request()
            .addRecentEvents(Event.newBuilder().setItemId("a").setType(EventType.VIEW))
            .addRecentEvents(Event.newBuilder().setItemId("b"))),
        Status.Code.INVALID_ARGUMENT, "recent_events[1]: type is required");
  }

  @Test
  void rejectsTooManyExclusions() {
    expect(() -> read(request().addAllExcludeItemIds(
            Collections.nCopies(RetrieveRequestReader.MAX_EXCLUDED + 1, "a"))),
        Status.Code.RESOURCE_EXHAUSTED, "exclude_item_ids has 5001 ids; at most 5000");
  }

  static void expect(ThrowingCallable call, Status.Code code, String message) {
    assertThatThrownBy(call)
        .isInstanceOfSatisfying(StatusRuntimeException.class,
            e -> assertThat(e.getStatus().getCode()).isEqualTo(code))
        .hasMessageContaining(message);
  }
}
