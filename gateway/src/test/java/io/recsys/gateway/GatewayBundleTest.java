package io.recsys.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.candidates.CandidateQuotas;
import io.recsys.gateway.testing.TestBundle;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayBundleTest {

  @TempDir
  Path dir;

  static GatewaySettings asking(int twoTower, int popular, int item2item) {
    GatewaySettings d = GatewaySettings.defaults();
    return new GatewaySettings(twoTower, popular, item2item, d.sourceTimeoutMs(), d.rankingTimeoutMs(),
        d.maxPerCategoryFraction(), d.historySize(), d.historyMaxUsers(), d.experimentArms());
  }

  @Test
  void theGatewayServesTheRankersQuotasOnlyWhenEveryQuotaMatches() throws Exception {
    GatewayBundle b = GatewayBundle.load(TestBundle.write(dir));
    GatewayBundle trained = new GatewayBundle(b.layout(), b.version(), b.catalog(), b.popularity(), null,
        new CandidateQuotas(200, 100, 100));

    assertThat(trained.servesTheRankersQuotas(asking(200, 100, 100))).isTrue();
    assertThat(trained.servesTheRankersQuotas(asking(200, 100, 0))).isFalse();
    assertThat(trained.servesTheRankersQuotas(asking(50, 100, 100))).isFalse();
    // a manifest without quotas (exported before they were recorded) says nothing either way
    assertThat(b.rankerQuotas()).isNull();
    assertThat(b.servesTheRankersQuotas(asking(50, 20, 0))).isTrue();
  }
}
