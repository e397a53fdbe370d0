package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.WritePlan.DeleteDocuments;
import dev.agentbrain.storage.WritePlan.ReplaceChunks;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class WritePlanTest {

  @Test
  @DisplayName("consecutive upserts of several documents become one replace step")
  void consecutiveUpsertsAreOneStep() {
    List<WritePlan.Step> steps =
        WritePlan.of(List.of(upsert("a0", "a", 1), upsert("a1", "a", 1), upsert("b0", "b", 4)));

    assertThat(steps).hasSize(1);
    ReplaceChunks step = (ReplaceChunks) steps.getFirst();
    assertThat(step.versions()).containsExactly(Map.entry("a", 1L), Map.entry("b", 4L));
    assertThat(step.chunks()).extracting(ChunkRecord::chunkId).containsExactly("a0", "a1", "b0");
  }

  @Test
  @DisplayName("a document that comes back with another version starts a new step")
  void newVersionStartsNewStep() {
    List<WritePlan.Step> steps =
        WritePlan.of(List.of(upsert("a0", "a", 1), upsert("a0v2", "a", 2)));

    assertThat(steps)
        .extracting(step -> ((ReplaceChunks) step).versions())
        .containsExactly(Map.of("a", 1L), Map.of("a", 2L));
  }

  @Test
  @DisplayName("consecutive deletes become one step, kept in order between upserts")
  void deletesKeepTheirPlace() {
    List<WritePlan.Step> steps =
        WritePlan.of(
            List.of(
                upsert("a0", "a", 1),
                new ChunkWrite.DeleteDocument("a", 2),
                new ChunkWrite.DeleteDocument("b", 5),
                new ChunkWrite.DeleteDocument("a", 3),
                upsert("a0", "a", 2)));

    assertThat(steps).hasSize(3);
    assertThat(steps.get(1)).isEqualTo(new DeleteDocuments(Map.of("a", 3L, "b", 5L)));
    assertThat(((ReplaceChunks) steps.get(2)).versions()).isEqualTo(Map.of("a", 2L));
  }

  @Test
  @DisplayName("a chunk id written twice in one step keeps its last record")
  void lastRecordOfAChunkIdWins() {
    ChunkRecord first = chunk("a0", "a", 1, "first");
    ChunkRecord second = chunk("a0", "a", 1, "second");

    List<WritePlan.Step> steps =
        WritePlan.of(List.of(new ChunkWrite.Upsert(first), new ChunkWrite.Upsert(second)));

    assertThat(((ReplaceChunks) steps.getFirst()).chunks()).containsExactly(second);
  }

  @Test
  @DisplayName("a step completes a version only when it holds all of its chunks, or no count")
  void completesOnlyWithEveryChunk() {
    ChunkRecord first = chunk("a0", "a", 7, "first");
    ChunkRecord second =
        ChunkRecord.builder()
            .chunkId("a1")
            .documentId("a")
            .documentVersion(7)
            .position(1)
            .text("second")
            .sourceType("doc")
            .embedding(new float[] {1})
            .build();

    ReplaceChunks part =
        (ReplaceChunks) WritePlan.of(List.of(new ChunkWrite.Upsert(first, 2))).getFirst();
    ReplaceChunks whole =
        (ReplaceChunks)
            WritePlan.of(List.of(new ChunkWrite.Upsert(first, 2), new ChunkWrite.Upsert(second, 2)))
                .getFirst();
    ReplaceChunks uncounted =
        (ReplaceChunks) WritePlan.of(List.of(new ChunkWrite.Upsert(first))).getFirst();

    assertThat(part.completes("a")).isFalse();
    assertThat(whole.completes("a")).isTrue();
    assertThat(uncounted.completes("a")).isTrue();
  }

  @Test
  @DisplayName("no writes give no steps")
  void noWritesNoSteps() {
    assertThat(WritePlan.of(List.of())).isEmpty();
  }

  private static ChunkWrite upsert(String chunkId, String documentId, long version) {
    return new ChunkWrite.Upsert(chunk(chunkId, documentId, version, "text"));
  }

  private static ChunkRecord chunk(String chunkId, String documentId, long version, String text) {
    return ChunkRecord.builder()
        .chunkId(chunkId)
        .documentId(documentId)
        .documentVersion(version)
        .position(0)
        .text(text)
        .sourceType("doc")
        .embedding(new float[] {1})
        .build();
  }
}
