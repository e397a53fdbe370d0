package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.ChunkRecord;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkMetadataTest {

  private final ChunkRecord chunk =
      new ChunkRecord(
          "c1",
          "d1",
          9_007_199_254_740_993L,
          4,
          "text",
          "docs/a.md",
          "doc",
          "markdown",
          "A > B",
          "ff",
          Map.of("document_id", "spoof", "team", "search"),
          new float[] {1, 2});

  @Test
  @DisplayName("a chunk's own metadata keys are prefixed and never overwrite its fields")
  void ownKeysArePrefixed() {
    Map<String, Object> values = ChunkMetadata.of(chunk);

    assertThat(values)
        .containsEntry("document_id", "d1")
        .containsEntry("m.document_id", "spoof")
        .containsEntry("m.team", "search")
        .containsEntry("document_version", 9_007_199_254_740_993L)
        .containsEntry("position", 4);
  }

  @Test
  @DisplayName("a chunk survives the trip through Chroma metadata")
  void roundTrip() {
    Map<String, Object> stored = new java.util.HashMap<>(ChunkMetadata.of(chunk));
    stored.put("position", 4L); // Chroma gives every integer back as a 64-bit one

    ChunkRecord back = ChunkMetadata.chunk("c1", "text", stored, new float[] {1, 2});

    assertThat(back).usingRecursiveComparison().isEqualTo(chunk);
  }
}
