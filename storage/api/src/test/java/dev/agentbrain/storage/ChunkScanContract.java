package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.reconciliation.IndexSide;
import dev.agentbrain.storage.reconciliation.Reconciliation;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import dev.agentbrain.storage.reconciliation.Settling;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * What every backend's {@link ChunkScan} must do, on a real server. Each adapter has an integration
 * test that implements this interface; each test gets two fresh indexes ({@link #LEFT}, {@link
 * #RIGHT}) of 4 dimensions.
 */
public interface ChunkScanContract {

  String LEFT = "scan_" + StoreContract.RUN + "_a";
  String RIGHT = "scan_" + StoreContract.RUN + "_b";

  ChunkWriter writer();

  ChunkScan scan();

  @BeforeEach
  default void createIndexes() {
    for (String name : List.of(LEFT, RIGHT)) {
      writer().dropIndex(name);
      writer().ensureIndex(new IndexSpec(name, 4, "scan-model", "english"));
    }
  }

  @AfterEach
  default void dropIndexes() {
    writer().dropIndex(LEFT);
    writer().dropIndex(RIGHT);
  }

  /** 25 documents of one to three chunks each (50 chunks). */
  private static List<ChunkRecord> chunks() {
    List<ChunkRecord> chunks = new ArrayList<>();
    for (int d = 0; d < 25; d++) {
      for (int p = 0; p <= d % 3; p++) {
        String text = "document " + d + " part " + p;
        chunks.add(
            ChunkRecord.builder()
                .chunkId("doc" + d + "#" + p)
                .documentId("doc" + d)
                .documentVersion(1)
                .position(p)
                .text(text)
                .source("notes/" + d + ".md")
                .sourceType("doc")
                .language("markdown")
                .contentHash("hash-" + d + "-" + p)
                .embedding(new float[] {d + 1, p + 1, 0.5f, -0.25f})
                .build());
      }
    }
    return chunks;
  }

  private void write(String index, List<ChunkRecord> chunks) {
    writer().write(index, chunks.stream().<ChunkWrite>map(ChunkWrite.Upsert::new).toList());
  }

  @Test
  @DisplayName(
      "small pages list every document, and chunksOf gives back every chunk with its vector")
  default void pagesCoverTheIndex() {
    List<ChunkRecord> written = chunks();
    write(LEFT, written);

    Set<String> listed = new HashSet<>();
    String cursor = ChunkScan.DocumentPage.FIRST;
    int pages = 0;
    while (cursor != null) {
      ChunkScan.DocumentPage page = scan().documents(LEFT, cursor, 7);
      assertThat(page.documentIds()).hasSizeLessThanOrEqualTo(7).doesNotHaveDuplicates();
      listed.addAll(page.documentIds());
      cursor = page.next().orElse(null);
      pages++;
    }
    assertThat(listed).hasSize(25);
    assertThat(pages).isGreaterThan(3);

    List<ChunkRecord> doc4 = scan().chunksOf(LEFT, List.of("doc4", "doc5", "absent"));
    assertThat(doc4)
        .extracting(ChunkRecord::chunkId)
        .containsExactlyInAnyOrder("doc4#0", "doc4#1", "doc5#0", "doc5#1", "doc5#2");
    ChunkRecord stored =
        doc4.stream().filter(c -> c.chunkId().equals("doc5#2")).findFirst().orElseThrow();
    assertThat(stored.embedding()).containsExactly(6f, 3f, 0.5f, -0.25f);
    assertThat(stored.contentHash()).isEqualTo("hash-5-2");
    assertThat(stored.text()).isEqualTo("document 5 part 2");
  }

  @Test
  @DisplayName(
      "reconciling two indexes of this backend finds exactly the chunk changed behind its back")
  default void reconciliationOnThisBackend() throws Exception {
    List<ChunkRecord> written = chunks();
    write(LEFT, written);
    write(RIGHT, written);
    ChunkRecord original = written.get(7);
    write(RIGHT, List.of(original.toBuilder().text("altered text").build()));

    ReconciliationResult result =
        new Reconciliation(
                IndexSide.of("left", scan(), LEFT),
                IndexSide.of("right", scan(), RIGHT),
                new Reconciliation.Options(6, 1e-4, 10, 100))
            .run(Settling.NONE);

    assertThat(result.differing()).isEqualTo(1);
    assertThat(result.differences().getFirst().documentId()).isEqualTo(original.documentId());
    assertThat(result.documents()).isEqualTo(25);
    assertThat(result.chunks()).isEqualTo(written.size());
  }

  @Test
  @DisplayName("scanning an index that does not exist says so")
  default void absentIndex() {
    assertThatThrownBy(() -> scan().documents("scan_" + StoreContract.RUN + "_none", "", 10))
        .isInstanceOf(NoSuchIndexException.class);
  }
}
