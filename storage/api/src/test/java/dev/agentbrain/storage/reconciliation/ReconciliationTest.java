package dev.agentbrain.storage.reconciliation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ReconciliationTest {

  private static final Reconciliation.Options SMALL_PAGES =
      new Reconciliation.Options(2, 1e-4, 10, 1000);

  /** Chunks by id, paged by chunk in id order as Chroma pages (so documents straddle pages). */
  static final class MemoryScan implements ChunkScan {
    final TreeMap<String, ChunkRecord> chunks = new TreeMap<>();
    int pagesRead;

    void put(ChunkRecord chunk) {
      chunks.put(chunk.chunkId(), chunk);
    }

    @Override
    public DocumentPage documents(String physicalName, String cursor, int limit) {
      pagesRead++;
      int offset = cursor.isEmpty() ? 0 : Integer.parseInt(cursor);
      List<ChunkRecord> page =
          new ArrayList<>(chunks.values())
              .subList(Math.min(offset, chunks.size()), Math.min(offset + limit, chunks.size()));
      return new DocumentPage(
          page.stream().map(ChunkRecord::documentId).distinct().toList(),
          page.size() < limit ? Optional.empty() : Optional.of(String.valueOf(offset + limit)));
    }

    @Override
    public List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
      return chunks.values().stream().filter(c -> documentIds.contains(c.documentId())).toList();
    }
  }

  private final MemoryScan left = new MemoryScan();
  private final MemoryScan right = new MemoryScan();

  private static ChunkRecord chunk(String document, int position, String text, float... vector) {
    return ChunkRecord.builder()
        .chunkId(document + "#" + position)
        .documentId(document)
        .documentVersion(1)
        .position(position)
        .text(text)
        .source("src")
        .sourceType("doc")
        .language("markdown")
        .contentHash(Integer.toHexString(text.hashCode()))
        .embedding(vector)
        .build();
  }

  /** Five documents of one to three chunks on both sides. */
  private void sameOnBothSides() {
    for (int d = 0; d < 5; d++) {
      for (int p = 0; p <= d % 3; p++) {
        ChunkRecord chunk = chunk("doc" + d, p, "text " + d + " " + p, d + 1f, p + 1f);
        left.put(chunk);
        right.put(chunk);
      }
    }
  }

  private ReconciliationResult reconcile(Settling settling) throws InterruptedException {
    return new Reconciliation(
            new IndexSide("left", left, "docs_v1"),
            new IndexSide("right", right, "docs_v2"),
            SMALL_PAGES)
        .run(settling);
  }

  @Test
  @DisplayName("two identical indexes, read in pages that split documents, have no difference")
  void identicalIndexesAgree() throws Exception {
    sameOnBothSides();

    ReconciliationResult result = reconcile(Settling.NONE);

    assertThat(result.identical()).isTrue();
    assertThat(result.documents()).isEqualTo(5);
    assertThat(result.chunks()).isEqualTo(left.chunks.size());
    assertThat(left.pagesRead).as("pages, not one read of everything").isGreaterThan(2);
  }

  @Test
  @DisplayName("a chunk deleted, altered or moved on one side is named with its document")
  void corruptionIsNamed() throws Exception {
    sameOnBothSides();
    right.chunks.remove("doc2#1");
    right.put(chunk("doc3", 0, "tampered", 4f, 1f));
    right.put(chunk("doc4", 1, "text 4 1", 5f, 2.5f));
    right.chunks.remove("doc0#0");
    right.put(chunk("ghost", 0, "only right", 1f, 1f));

    ReconciliationResult result = reconcile(Settling.NONE);

    assertThat(result.differences())
        .extracting(Difference::documentId, Difference::kind)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("doc0", Difference.Kind.MISSING_RIGHT),
            org.assertj.core.groups.Tuple.tuple("doc2", Difference.Kind.CHUNK_IDS),
            org.assertj.core.groups.Tuple.tuple("doc3", Difference.Kind.CONTENT),
            org.assertj.core.groups.Tuple.tuple("doc4", Difference.Kind.VECTOR),
            org.assertj.core.groups.Tuple.tuple("ghost", Difference.Kind.MISSING_LEFT));
    assertThat(result.differing()).isEqualTo(5);
    assertThat(result.differences())
        .filteredOn(d -> d.documentId().equals("doc2"))
        .singleElement()
        .extracting(Difference::detail)
        .asString()
        .contains("doc2#1");
  }

  @Test
  @DisplayName("vectors within the tolerance are equal")
  void vectorToleranceIsHonoured() throws Exception {
    sameOnBothSides();
    right.put(chunk("doc1", 0, "text 1 0", 2.00005f, 1f));

    assertThat(reconcile(Settling.NONE).identical()).isTrue();
  }

  @Test
  @DisplayName("a document the other side has not written yet is lag once the writers catch up")
  void lagIsNotCorruption() throws Exception {
    sameOnBothSides();
    ChunkRecord late = right.chunks.remove("doc1#0");
    ChunkRecord late2 = right.chunks.remove("doc1#1");

    ReconciliationResult result =
        reconcile(
            () -> {
              right.put(late);
              right.put(late2);
              return true;
            });

    assertThat(result.identical()).isTrue();
    assertThat(result.lagResolved()).isEqualTo(1);
    assertThat(result.settled()).isTrue();
  }

  @Test
  @DisplayName(
      "when the writers do not catch up in time the result says the differences may be lag")
  void unsettledResultSaysSo() throws Exception {
    sameOnBothSides();
    right.chunks.remove("doc1#0");

    ReconciliationResult result = reconcile(() -> false);

    assertThat(result.settled()).isFalse();
    assertThat(result.differing()).isEqualTo(1);
  }
}
