package io.recsys.common.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureRangesTest {

  static final int W = RankerFeatures.DENSE.size();

  /** Two rows: feature f is f and -f in them. */
  static float[] twoRows() {
    float[] rows = new float[2 * W];
    for (int f = 0; f < W; f++) {
      rows[f] = f;
      rows[W + f] = -f;
    }
    return rows;
  }

  @Test
  void clampsEachFeatureIntoTheRangeItsTrainingRowsTook() {
    FeatureRanges r = FeatureRanges.of(twoRows());
    float[] row = new float[W + 1];
    for (int f = 0; f < W; f++) {
      row[1 + f] = 100f;
    }
    row[1 + 3] = -100f;
    row[1 + 5] = 2.5f;
    r.clamp(row, 1);
    assertThat(row[1]).isEqualTo(0f);        // feature 0 only ever took 0
    assertThat(row[1 + 3]).isEqualTo(-3f);    // below its min
    assertThat(row[1 + 5]).isEqualTo(2.5f);   // inside [-5, 5]: unchanged
    assertThat(row[1 + 7]).isEqualTo(7f);     // above its max
  }

  @Test
  void writesAndReadsBackAndRefusesAFileOfOtherFeatures(@TempDir Path dir) throws IOException {
    FeatureRanges r = FeatureRanges.of(twoRows());
    Path file = dir.resolve("stats/ranker_ranges.tsv");
    r.write(file);
    FeatureRanges back = FeatureRanges.read(file);
    for (int f = 0; f < W; f++) {
      assertThat(back.min(f)).isEqualTo(-f);
      assertThat(back.max(f)).isEqualTo(f);
    }
    List<String> lines = Files.readAllLines(file);
    lines.set(2, lines.get(2).replaceFirst("^[a-z_0-9]+", "hist_sim_v0"));
    Files.write(file, lines);
    assertThatThrownBy(() -> FeatureRanges.read(file)).isInstanceOf(IOException.class)
        .hasMessageContaining("expected the range of " + RankerFeatures.DENSE.get(1));
  }
}
