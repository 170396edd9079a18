package io.recsys.models.export;

import static org.assertj.core.api.Assertions.assertThat;

import io.recsys.common.bundle.BundleLayout;
import io.recsys.common.bundle.EmbeddingMatrix;
import io.recsys.common.bundle.Manifest;
import io.recsys.common.features.CandidateSources;
import io.recsys.common.features.RankerFeatures;
import io.recsys.common.tf.SavedModelRunner;
import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import io.recsys.models.testing.TestBundles;
import io.recsys.models.train.NextItemExamples;
import io.recsys.models.train.RankerConfig;
import io.recsys.models.train.RankerModel;
import io.recsys.models.train.TwoTowerConfig;
import io.recsys.models.train.TwoTowerModel;
import io.recsys.models.train.TwoTowerTraining;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tensorflow.Tensor;

class ExportedModelsTest {

  @Test
  void reloadedSavedModelsScoreExactlyLikeTheTrainedOnes(@TempDir Path dir) throws Exception {
    Dataset ds = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();
    TwoTowerConfig cfg = TwoTowerConfig.defaults();
    int l = cfg.historyLength();
    NextItemExamples ex = NextItemExamples.of(ds.histories(), l);
    int n = 16;
    int[] users = java.util.Arrays.copyOf(ex.users(), n);
    int[] hist = java.util.Arrays.copyOf(ex.histItems(), n * l);
    float[] weights = java.util.Arrays.copyOf(ex.histWeights(), n * l);
    int fs = RankerFeatures.SPARSE.size();
    int fd = RankerFeatures.DENSE.size();
    Random rnd = new Random(3);
    int[] sparse = new int[n * fs];
    float[] dense = new float[n * fd];
    for (int i = 0; i < n; i++) {
      sparse[i * fs] = rnd.nextInt(ds.items().size());
      sparse[i * fs + 1] = ds.items().categoryIndex(sparse[i * fs]);
      sparse[i * fs + 2] = 1 + rnd.nextInt(3);
      for (int j = 0; j < fd; j++) {
        dense[i * fd + j] = rnd.nextFloat();
      }
    }

    float[] userVecs;
    EmbeddingMatrix items;
    float[] scores;
    try (TwoTowerModel tower = new TwoTowerModel(cfg, ds.items(), ds.users() + 1, ds.itemCounts());
         RankerModel ranker = new RankerModel(RankerConfig.defaults(),
             new int[] {ds.items().size(), ds.items().categorySlots(), CandidateSources.MASK_SLOTS})) {
      tower.trainEpoch(ex, new Random(1));
      userVecs = tower.userEmbeddings(users, hist, weights);
      items = tower.itemEmbeddings(ds.items());
      scores = ranker.score(sparse, dense, n);
      tower.export(dir.resolve("two_tower"));
      ranker.export(dir.resolve("ranker"));
    }

    try (SavedModelRunner user = SavedModelRunner.load(dir, TwoTowerModel.USER_SIGNATURE);
         SavedModelRunner item = SavedModelRunner.load(dir, TwoTowerModel.ITEM_SIGNATURE);
         SavedModelRunner rank = SavedModelRunner.load(dir, RankerModel.SIGNATURE);
         Tensor u = SavedModelRunner.ints(users, n);
         Tensor h = SavedModelRunner.ints(hist, n, l);
         Tensor w = SavedModelRunner.floats(weights, n, l);
         Tensor ii = SavedModelRunner.ints(new int[] {0, 5, 7}, 3);
         Tensor ic = SavedModelRunner.ints(new int[] {ds.items().categoryIndex(0),
             ds.items().categoryIndex(5), ds.items().categoryIndex(7)}, 3);
         Tensor s = SavedModelRunner.ints(sparse, n, fs);
         Tensor d = SavedModelRunner.floats(dense, n, fd)) {
      float[] reloadedUsers = user.runFloats(Map.of("user_index", u, "history_items", h,
          "history_weights", w), "embedding", n * cfg.dim());
      assertThat(reloadedUsers).containsExactly(userVecs, org.assertj.core.data.Offset.offset(1e-6f));
      float[] reloadedItems = item.runFloats(Map.of("item_index", ii, "category_index", ic),
          "embedding", 3 * cfg.dim());
      for (int k = 0; k < cfg.dim(); k++) {
        assertThat(reloadedItems[cfg.dim() + k]).isCloseTo(items.row(5)[k], org.assertj.core.data.Offset.offset(1e-6f));
      }
      float[] reloadedScores = rank.runFloats(Map.of("sparse", s, "dense", d), "probability", n);
      assertThat(reloadedScores).containsExactly(scores, org.assertj.core.data.Offset.offset(1e-6f));
      for (float p : scores) {
        assertThat(p).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void trainedBundleHasEveryPartAndChecksums() throws Exception {
    TestBundles.Fixture f = TestBundles.small();
    BundleLayout b = new BundleLayout(f.bundleDir());
    Manifest m = Manifest.read(b.manifest());
    assertThat(m.items()).isEqualTo(f.dataset().items().size());
    assertThat(m.users()).isEqualTo(f.dataset().users());
    assertThat(EmbeddingMatrix.read(b.itemEmbeddings(), m.embeddingDim()).rows()).isEqualTo(m.items());
    for (Path p : new Path[] {b.items(), b.users(), b.popularity(), b.recentHistory(),
        b.twoTower().resolve("saved_model.pb"), b.ranker().resolve("saved_model.pb")}) {
      assertThat(p).isRegularFile();
    }
    assertThat(Files.list(b.index()).count()).isPositive();
    assertThat(m.checksums()).containsKey("item_embeddings.f32");
    assertThat(m.checksums().get("item_embeddings.f32"))
        .isEqualTo(BundleWriter.sha256(b.itemEmbeddings()));
    assertThat(m.metrics().get(TwoTowerTraining.VALIDATION_RECALL)).isGreaterThan(0.1);
    // no staging directory is left behind
    assertThat(Files.list(f.bundleDir().getParent()).map(p -> p.getFileName().toString()))
        .noneMatch(name -> name.startsWith("."));
  }
}
