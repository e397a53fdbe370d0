package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkRecordTest {

  private static ChunkRecord.Builder guide() {
    return ChunkRecord.builder()
        .chunkId("guide#3#7")
        .documentId("guide")
        .documentVersion(3)
        .position(7)
        .text("a chunk")
        .source("docs/guide.md")
        .sourceType("doc")
        .language("markdown")
        .headingPath("Guide > Setup")
        .contentHash("ab12")
        .metadata(Map.of("team", "search"))
        .embedding(new float[] {0.25f, -0.5f, 1});
  }

  @Test
  @DisplayName("the builder sets each value by name, as the canonical constructor would")
  void builderNamesEveryValue() {
    ChunkRecord built = guide().build();

    assertThat(built)
        .isEqualTo(
            new ChunkRecord(
                "guide#3#7",
                "guide",
                3,
                7,
                "a chunk",
                "docs/guide.md",
                "doc",
                "markdown",
                "Guide > Setup",
                "ab12",
                Map.of("team", "search"),
                new float[] {0.25f, -0.5f, 1}));
    assertThat(built.toBuilder().build()).isEqualTo(built);
  }

  @Test
  @DisplayName("what a builder leaves unset is empty, version and position 0")
  void unsetValuesAreEmpty() {
    ChunkRecord bare =
        ChunkRecord.builder()
            .chunkId("c")
            .documentId("d")
            .text("t")
            .embedding(new float[1])
            .build();

    assertThat(bare.documentVersion()).isZero();
    assertThat(bare.position()).isZero();
    assertThat(bare.source() + bare.sourceType() + bare.language()).isEmpty();
    assertThat(bare.headingPath() + bare.contentHash()).isEmpty();
    assertThat(bare.metadata()).isEmpty();
  }

  @Test
  @DisplayName("a record without its text names the missing value")
  void requiredValuesAreNamed() {
    assertThatThrownBy(() -> guide().text(null).build())
        .isInstanceOf(NullPointerException.class)
        .hasMessage("text");
  }

  @Test
  @DisplayName("two records with equal vectors in different arrays are equal, with one hash")
  void vectorsCompareByContent() {
    ChunkRecord one = guide().build();
    ChunkRecord other = guide().embedding(new float[] {0.25f, -0.5f, 1}).build();

    assertThat(other).isEqualTo(one).hasSameHashCodeAs(one);
    assertThat(guide().embedding(new float[] {0.25f, -0.5f, 2}).build()).isNotEqualTo(one);
    assertThat(guide().position(8).build()).isNotEqualTo(one);
  }

  @Test
  @DisplayName("toString shows the vector's length, not its values")
  void toStringLeavesOutTheVector() {
    ChunkRecord big = guide().embedding(new float[384]).build();

    assertThat(big.toString())
        .contains("chunkId=guide#3#7", "headingPath=Guide > Setup", "embedding=float[384]")
        .doesNotContain("0.0");
  }
}
