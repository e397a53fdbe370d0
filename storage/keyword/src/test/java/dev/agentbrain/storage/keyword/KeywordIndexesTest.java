package dev.agentbrain.storage.keyword;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.UnsupportedSearchException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeywordIndexesTest {

  private static final IndexSpec SPEC = new IndexSpec("docs_v1", 3, "model-a", "english");

  @TempDir Path root;

  @Test
  @DisplayName("chunks, offsets and a finished build survive closing and opening again")
  void stateSurvivesReopening() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);
      keywords.completeBuild(SPEC.physicalName(), Map.of(0, 5L, 1, 0L));
      keywords.apply(
          SPEC.physicalName(), List.of(upsert("a", "running kafka brokers")), Map.of(1, 7L));
    }

    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);

      assertThat(keywords.complete(SPEC.physicalName())).isTrue();
      assertThat(keywords.offsets(SPEC.physicalName())).isEqualTo(Map.of(0, 5L, 1, 7L));
      assertThat(ids(keywords, "broker run")).containsExactly("a#1#0");
    }
  }

  @Test
  @DisplayName(
      "a version applied in parts stays out of sight until whole, and the durable offsets stay before its first part until then")
  void partsOfAVersionWaitUntilWhole() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);
      keywords.completeBuild(SPEC.physicalName(), Map.of(0, 0L));
      keywords.apply(SPEC.physicalName(), List.of(upsert("a", "old kafka text")), Map.of(0, 1L));

      keywords.apply(
          SPEC.physicalName(), List.of(part("a", 9, 0, 2, "new kafka words")), Map.of(0, 2L));

      assertThat(ids(keywords, "kafka")).containsExactly("a#1#0");
      assertThat(keywords.offsets(SPEC.physicalName())).isEqualTo(Map.of(0, 1L));

      keywords.apply(
          SPEC.physicalName(), List.of(part("a", 9, 1, 2, "more kafka words")), Map.of(0, 3L));

      assertThat(ids(keywords, "kafka")).containsExactlyInAnyOrder("a#9#0", "a#9#1");
      assertThat(keywords.offsets(SPEC.physicalName())).isEqualTo(Map.of(0, 3L));
    }
  }

  @Test
  @DisplayName("a late delete of an older version leaves the newer one in keyword search")
  void lateDeleteLeavesNewerVersion() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);
      keywords.completeBuild(SPEC.physicalName(), Map.of());
      keywords.apply(SPEC.physicalName(), List.of(part("a", 9, 0, 1, "kafka words")), Map.of());

      keywords.apply(SPEC.physicalName(), List.of(new ChunkWrite.DeleteDocument("a", 5)), Map.of());

      assertThat(ids(keywords, "kafka")).containsExactly("a#9#0");
    }
  }

  @Test
  @DisplayName("an index on disk built for another spec starts again, empty and unfinished")
  void otherSpecIsRebuilt() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);
      keywords.completeBuild(SPEC.physicalName(), Map.of(0, 5L));
      keywords.apply(SPEC.physicalName(), List.of(upsert("a", "kafka")), Map.of());
    }

    IndexSpec other = new IndexSpec(SPEC.physicalName(), 3, "model-b", "english");
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(other);

      assertThat(keywords.complete(other.physicalName())).isFalse();
      assertThat(keywords.count(other.physicalName())).isZero();
      assertThat(keywords.offsets(other.physicalName())).isEmpty();
    }
  }

  @Test
  @DisplayName("an index another process holds is named as in use, without advice to delete it")
  void indexHeldElsewhereIsNamedAsInUse() {
    try (KeywordIndexes running = new KeywordIndexes(root, Bm25.STANDARD);
        KeywordIndexes second = new KeywordIndexes(root, Bm25.STANDARD)) {
      running.ensureIndex(SPEC);

      assertThatThrownBy(() -> second.ensureIndex(SPEC))
          .isInstanceOf(StorageException.class)
          .hasMessageContaining("docs_v1")
          .hasMessageContaining("in use by another process")
          .hasMessageNotContaining("delete");
      running.apply(SPEC.physicalName(), List.of(upsert("a", "kafka")), Map.of());
      assertThat(running.count(SPEC.physicalName())).isEqualTo(1);
    }
  }

  @Test
  @DisplayName("a keyword search before the first build finished says to retry, not 'no hits'")
  void searchDuringBuildIsUnavailable() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      keywords.ensureIndex(SPEC);
      keywords.apply(SPEC.physicalName(), List.of(upsert("a", "kafka")), Map.of());

      assertThatThrownBy(() -> ids(keywords, "kafka"))
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("still being built");
    }
  }

  @Test
  @DisplayName("a text-search language Lucene cannot analyse is refused with the ones it can")
  void unknownLanguageIsRefused() {
    try (KeywordIndexes keywords = new KeywordIndexes(root, Bm25.STANDARD)) {
      assertThatThrownBy(
              () -> keywords.ensureIndex(new IndexSpec("docs_v2", 3, "model-a", "klingon")))
          .isInstanceOf(UnsupportedSearchException.class)
          .hasMessageContaining("'simple', 'english'");
    }
  }

  private static List<String> ids(KeywordIndexes keywords, String text) {
    return keywords.search(SPEC.physicalName(), new KeywordQuery(text, 10, Filter.ALL)).stream()
        .map(hit -> hit.chunk().chunkId())
        .toList();
  }

  private static ChunkWrite part(
      String document, long version, int position, int chunkCount, String text) {
    return new ChunkWrite.Upsert(
        ChunkRecord.builder()
            .chunkId(document + "#" + version + "#" + position)
            .documentId(document)
            .documentVersion(version)
            .position(position)
            .text(text)
            .source(document + ".md")
            .sourceType("doc")
            .language("markdown")
            .embedding(new float[] {1, 0, 0})
            .build(),
        chunkCount);
  }

  private static ChunkWrite upsert(String document, String text) {
    return part(document, 1, 0, 0, text);
  }
}
