package io.recsys.common.reload;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BundleHolderTest {

  /** A stand-in bundle that knows whether it was closed, and fails when used after that. */
  static final class FakeBundle implements AutoCloseable {
    final String version;
    final AtomicBoolean closed = new AtomicBoolean();

    FakeBundle(String version) {
      this.version = version;
    }

    String use() {
      if (closed.get()) {
        throw new IllegalStateException(version + " used after close");
      }
      return version;
    }

    @Override
    public void close() {
      if (!closed.compareAndSet(false, true)) {
        throw new IllegalStateException(version + " closed twice");
      }
    }
  }

  @Test
  void aSwappedOutBundleClosesOnlyWhenItsLastRequestIsDone() {
    FakeBundle v1 = new FakeBundle("v1");
    FakeBundle v2 = new FakeBundle("v2");
    BundleHolder<FakeBundle> holder = new BundleHolder<>(v1, b -> b.version);
    BundleHolder.Lease<FakeBundle> inFlight = holder.acquire();

    holder.swap(v2);

    assertThat(holder.version()).isEqualTo("v2");
    assertThat(v1.closed).isFalse();
    assertThat(inFlight.get().use()).isEqualTo("v1");
    inFlight.close();
    assertThat(v1.closed).isTrue();
    assertThat(v2.closed).isFalse();
    holder.close();
    assertThat(v2.closed).isTrue();
  }

  @Test
  void swapsUnderConcurrentRequestsNeverHandOutAClosedBundle() throws Exception {
    List<FakeBundle> all = new ArrayList<>();
    FakeBundle first = new FakeBundle("v0");
    all.add(first);
    BundleHolder<FakeBundle> holder = new BundleHolder<>(first, b -> b.version);
    AtomicInteger failures = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      threads.add(Thread.ofPlatform().start(() -> {
        while (!stop.get()) {
          try (BundleHolder.Lease<FakeBundle> lease = holder.acquire()) {
            lease.get().use();
            Thread.onSpinWait();
            lease.get().use();
          } catch (IllegalStateException e) {
            failures.incrementAndGet();
          }
        }
      }));
    }
    for (int v = 1; v <= 200; v++) {
      FakeBundle next = new FakeBundle("v" + v);
      all.add(next);
      holder.swap(next);
    }
    stop.set(true);
    for (Thread t : threads) {
      t.join();
    }
    assertThat(failures).hasValue(0);
    assertThat(all.subList(0, all.size() - 1)).allSatisfy(b -> assertThat(b.closed).isTrue());
    assertThat(all.get(all.size() - 1).closed).isFalse();
    holder.close();
  }
}
