package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.ChunkRecord;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkMetadataTest {

  private final ChunkRecord chunk =
      ChunkRecord.builder()
          .chunkId("c1")
          .documentId("d1")
          .documentVersion(9_007_199_254_740_993L)
          .position(4)
          .text("text")
          .source("docs/a.md")
          .sourceType("doc")
          .language("markdown")
          .headingPath("A > B")
          .contentHash("ff")
          .metadata(Map.of("document_id", "spoof", "team", "search"))
          .embedding(new float[] {1, 2})
          .build();

  @Test
  @DisplayName("a chunk's own metadata keys are prefixed and never overwrite its fields")
  void ownKeysArePrefixed() {
    Map<String, Object> values = ChunkMetadata.of(chunk, 5);

    assertThat(values)
        .containsEntry("document_id", "d1")
        .containsEntry("m.document_id", "spoof")
        .containsEntry("m.team", "search")
        .containsEntry("document_version", 9_007_199_254_740_993L)
        .containsEntry("position", 4)
        .containsEntry("chunk_count", 5);
  }

  @Test
  @DisplayName("a record's id carries the version; a record written before that is read by its id")
  void recordIdsCarryTheVersion() {
    Map<String, Object> before = new java.util.HashMap<>(ChunkMetadata.of(chunk, 5));
    before.remove(ChunkMetadata.CHUNK_ID);
    before.remove(ChunkMetadata.CHUNK_COUNT);

    assertThat(ChunkMetadata.recordId(chunk)).isEqualTo(chunk.chunkId() + "@9007199254740993");
    assertThat(ChunkMetadata.chunk("old-id", "text", before, new float[0]).chunkId())
        .isEqualTo("old-id");
    assertThat(ChunkMetadata.beforeMarkers(before)).isTrue();
    assertThat(ChunkMetadata.beforeMarkers(ChunkMetadata.of(chunk, 5))).isFalse();
  }

  @Test
  @DisplayName("a chunk survives the trip through Chroma metadata")
  void roundTrip() {
    Map<String, Object> stored = new java.util.HashMap<>(ChunkMetadata.of(chunk, 5));
    stored.put("position", 4L); // Chroma gives every integer back as a 64-bit one

    ChunkRecord back = ChunkMetadata.chunk("c1", "text", stored, new float[] {1, 2});

    assertThat(back).usingRecursiveComparison().isEqualTo(chunk);
  }
}
