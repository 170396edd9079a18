package io.recsys.models.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.api.v1.EventType;
import io.recsys.common.features.Interaction;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EvalSplitTest {

  /** A history from pairs item, time in ms, oldest first. */
  private static List<Interaction> history(long... itemTime) {
    List<Interaction> h = new ArrayList<>();
    for (int p = 0; p < itemTime.length; p += 2) {
      h.add(new Interaction((int) itemTime[p], EventType.VIEW, itemTime[p + 1], 0));
    }
    return h;
  }

  // 11 interactions at 10, 15, 20, 30, 40, 50, 60, 70, 80, 85, 90: the 0.5 quantile is the 6th, 50
  private static final List<List<Interaction>> DATA = List.of(
      history(0, 10, 1, 20, 2, 30, 3, 60, 4, 70), // 3 before the cut, 2 after
      history(5, 40, 0, 50),                      // 1 before; a tie with the cut is after it
      history(1, 80, 2, 90),                      // nothing before
      history(3, 15, 4, 85));                     // 1 before

  @Test
  void temporalSplitTrainsBeforeTheCutAndTestsTheFirstInteractionAfterIt() {
    EvalSplit s = EvalSplit.temporal(DATA, 0.5);
    assertThat(s.protocol()).isEqualTo("temporal");
    assertThat(s.detail()).startsWith("cut at the 0.50 quantile of interaction times: 1970-01-01T00:00:00.050Z");
    // user 0: training 0, 1; validation 2 (the last before the cut); test 3; item 4 (later) unused
    assertThat(s.train().get(0)).extracting(Interaction::itemIndex).containsExactly(0, 1);
    assertThat(s.validation(0).itemIndex()).isEqualTo(2);
    assertThat(s.test(0).itemIndex()).isEqualTo(3);
    assertThat(s.trainAndValidation(0)).extracting(Interaction::itemIndex).containsExactly(0, 1, 2);
    // the others have fewer than 2 before the cut: training only, and only what came before the cut
    assertThat(s.evaluatedUsers()).isEqualTo(1);
    assertThat(s.train().get(1)).extracting(Interaction::itemIndex).containsExactly(5);
    assertThat(s.train().get(2)).isEmpty();
    assertThat(s.train().get(3)).extracting(Interaction::itemIndex).containsExactly(3);
    assertThat(s.validationItems()).containsExactly(2, -1, -1, -1);
    // nothing in training is as late as the cut; the latest is user 1's item 5 at 40
    assertThat(s.trainingCutoffMs()).isEqualTo(40);
  }

  @Test
  void leaveLastOutHoldsOutEachUsersLastTwoWhateverTheirTime() {
    EvalSplit s = EvalSplit.of("leave-last-out", DATA, 0.5);
    assertThat(s.protocol()).isEqualTo("leave-last-out");
    assertThat(s.test(0).itemIndex()).isEqualTo(4);
    assertThat(s.validation(0).itemIndex()).isEqualTo(3);
    assertThat(s.evaluatedUsers()).isEqualTo(1);
    // user 2's training at 80 and 90 is later than user 0's test at 70: why there is a temporal protocol
    assertThat(s.trainingCutoffMs()).isEqualTo(90);
  }

  @Test
  void badProtocolOrCutIsRefused() {
    assertThatThrownBy(() -> EvalSplit.of("random", DATA, 0.5)).hasMessageContaining("unknown protocol 'random'");
    assertThatThrownBy(() -> EvalSplit.temporal(DATA, 1.0)).hasMessageContaining("(0, 1)");
  }
}
