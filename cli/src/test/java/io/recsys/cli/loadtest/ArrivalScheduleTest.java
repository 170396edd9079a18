package io.recsys.cli.loadtest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArrivalScheduleTest {

  @Test
  void sendsAtEvenIntervalsOfOneOverTheRate() {
    ArrivalSchedule s = ArrivalSchedule.of(1_000, 250, 2, Long.MAX_VALUE);
    assertThat(s.count()).isEqualTo(500);
    assertThat(s.intendedNanos(0)).isEqualTo(1_000);
    assertThat(s.intendedNanos(1)).isEqualTo(1_000 + 4_000_000);
    assertThat(s.intendedNanos(499)).isEqualTo(1_000 + 499 * 4_000_000L);
    assertThat(s.endNanos()).isEqualTo(1_000 + 2_000_000_000L);
  }

  @Test
  void doesNotDriftAtRatesWhoseIntervalIsNotWholeNanoseconds() {
    // 1/3000 s = 333,333.33 ns: summing rounded intervals would be 1 us off after 3,000 calls
    ArrivalSchedule s = ArrivalSchedule.of(0, 3000, 10, Long.MAX_VALUE);
    assertThat(s.intendedNanos(3000)).isEqualTo(1_000_000_000L);
    assertThat(s.intendedNanos(29_999)).isEqualTo(Math.round(29_999 * 1e9 / 3000));
    assertThat(s.count()).isEqualTo(30_000);
  }

  @Test
  void requestCountCutsTheSchedule() {
    assertThat(ArrivalSchedule.of(0, 1000, 60, 1234).count()).isEqualTo(1234);
    assertThat(ArrivalSchedule.of(0, 2.5, 1, 100).count()).isEqualTo(2);
  }

  @Test
  void rejectsARateThatIsNotPositive() {
    assertThatThrownBy(() -> ArrivalSchedule.of(0, 0, 1, 10)).hasMessageContaining("rate must be > 0");
  }
}
