package io.recsys.models.data.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.recsys.models.data.Dataset;
import io.recsys.models.data.synthetic.SyntheticConfig;
import io.recsys.models.data.synthetic.SyntheticGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenericFormatTest {

  @Test
  void writtenDataReadsBackTheSame(@TempDir Path dir) throws IOException {
    Dataset original = new SyntheticGenerator(SyntheticConfig.small()).generate().dataset();
    GenericFormat.write(original, dir);
    Dataset read = GenericFormat.read(dir, "synthetic");
    assertThat(read.userIds()).isEqualTo(original.userIds());
    assertThat(read.items().size()).isEqualTo(original.items().size());
    assertThat(read.items().get(7)).isEqualTo(original.items().get(7));
    assertThat(read.histories()).isEqualTo(original.histories());
  }

  @Test
  void itemsOnlyInTheInteractionsAreAddedAndEventTypesDefaultToView(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("interactions.csv"), "user_id,item_id,timestamp\nu1,a,10\nu1,b,5\nu2,a,7\n");
    Dataset ds = GenericFormat.read(dir, "tiny");
    assertThat(ds.items().size()).isEqualTo(2);
    assertThat(ds.histories().get(0)).extracting(e -> ds.items().id(e.itemIndex())).containsExactly("b", "a");
    assertThat(ds.histories().get(0).get(0).timestampMs()).isEqualTo(5000);
    assertThat(ds.histories().get(0).get(0).type().name()).isEqualTo("VIEW");
  }

  @Test
  void malformedRowsNameTheFileAndLine(@TempDir Path dir) throws IOException {
    Files.writeString(dir.resolve("interactions.csv"), "user_id,item_id,timestamp_ms\nu1,a,10\nu1,b,yesterday\n");
    assertThatThrownBy(() -> GenericFormat.read(dir, "bad"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("interactions.csv:3")
        .hasMessageContaining("timestamp_ms 'yesterday' is not a whole number");
    Files.writeString(dir.resolve("interactions.csv"), "user,item_id,timestamp_ms\n");
    assertThatThrownBy(() -> GenericFormat.read(dir, "bad")).hasMessageContaining("missing column 'user_id'");
  }
}
