package io.recsys.common.bundle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BackgroundPartTest {

  static final class Part implements AutoCloseable {
    final CountDownLatch closed = new CountDownLatch(1);

    @Override
    public void close() {
      closed.countDown();
    }
  }

  @Test
  void getGivesThePartOrRethrowsTheLoadersOwnFailure() {
    Part part = new Part();
    assertThat(BackgroundPart.load(() -> part).get()).isSameAs(part);

    BackgroundPart<Part> broken = BackgroundPart.load(() -> {
      throw new IllegalStateException("SavedModel directory missing: /x");
    });
    assertThatThrownBy(broken::get).isExactlyInstanceOf(IllegalStateException.class)
        .hasMessage("SavedModel directory missing: /x");
  }

  @Test
  void aDiscardedPartIsClosedWhenItArrives() throws InterruptedException {
    Part part = new Part();
    CountDownLatch loading = new CountDownLatch(1);
    BackgroundPart<Part> pending = BackgroundPart.load(() -> {
      try {
        loading.await(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return part;
    });
    pending.discard();
    assertThat(part.closed.getCount()).isEqualTo(1);
    loading.countDown();
    assertThat(part.closed.await(5, TimeUnit.SECONDS)).isTrue();
  }
}
