package io.recsys.common.features;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.api.v1.EventType;
import java.util.List;
import org.junit.jupiter.api.Test;

class SequenceEncoderTest {

  private static Interaction view(int item) {
    return new Interaction(item, EventType.VIEW, item, 0);
  }

  @Test
  void keepsTheNewestItemsInOrderLeftPadded() {
    int[] out = new int[4];
    int used = new SequenceEncoder(4).encode(List.of(view(7), view(3)), out, 0);
    assertThat(used).isEqualTo(2);
    assertThat(out).containsExactly(SequenceEncoder.PAD, SequenceEncoder.PAD, 7, 3);
  }

  @Test
  void dropsTheOldestAndEventsThatSayNothingAboutAnItem() {
    int[] out = new int[3 + 2];
    List<Interaction> h = List.of(view(1), view(2), new Interaction(9, EventType.IMPRESSION, 3, 0), view(4),
        view(5));
    new SequenceEncoder(3).encode(h, out, 2);
    assertThat(out).containsExactly(0, 0, 2, 4, 5);
  }
}
