package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentIds;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.chroma.ChromaClient;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Document versions through the whole pipeline, against the real services: versions come from the
 * log (a publisher's clock does not matter), a reader never sees a mix of two versions or a part of
 * one, a late delete from a stale writer removes nothing newer, and an index written before log
 * versions keeps updating. Each test asserts the exact chunks of both backends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DocumentVersionsIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** A publisher-clock version as indexes written before log versions hold them (Dec 2024). */
  private static final long CLOCK_VERSION = 1_733_000_000_000_000L;

  @TempDir static Path state;

  private static IsolatedPipeline pipeline;
  private static IndexerService indexer;
  private static DocumentPublisher publisher;
  private static DocumentEvent legacy;

  /** Every chunk the index must hold, across the tests (they share one index). */
  private static final Map<String, IsolatedPipeline.ExpectedChunk> held = new HashMap<>();

  @BeforeAll
  static void start() throws Exception {
    pipeline = IsolatedPipeline.start("versions", 2);
    legacy = event("notes/legacy.md", paragraphs("legacy", 2), CLOCK_VERSION);
    writeAsBeforeLogVersions(legacy);
    indexer = pipeline.indexer(state);
    indexer.start();
    publisher = pipeline.publisher();
  }

  @AfterAll
  static void stop() {
    if (publisher != null) {
      publisher.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "an index written before log versions (publisher-clock versions) is read as it was and takes the next edit")
  void indexWrittenBeforeLogVersionsUpdates() {
    assertBothHoldExactly(holding(legacy));
    assertThat(pipeline.postgres.chunk(pipeline.physical, legacy.getId() + "#0").orElseThrow())
        .extracting(ChunkRecord::documentVersion)
        .isEqualTo(CLOCK_VERSION);

    DocumentEvent edit = event("notes/legacy.md", paragraphs("renewed", 3), CLOCK_VERSION - 1);
    publisher.publish(edit).join();

    awaitBothHoldExactly(holding(edit));
    for (Retriever backend : List.<Retriever>of(pipeline.postgres, pipeline.chroma)) {
      assertThat(backend.chunk(pipeline.physical, edit.getId() + "#0").orElseThrow())
          .extracting(c -> DocumentVersions.isFromLog(c.documentVersion()))
          .isEqualTo(true);
    }
  }

  @Test
  @Order(2)
  @DisplayName(
      "a publisher whose clock is an hour behind another's publishes the newer edit, and the newer text wins in both stores")
  void newerEditWinsWhateverThePublishersClock() {
    long now = Instant.now().toEpochMilli() * 1000;
    DocumentEvent first = event("notes/clock.md", paragraphs("first", 2), now);
    publisher.publish(first).join();
    awaitBothHoldExactly(holding(first));

    DocumentEvent newer =
        event(
            "notes/clock.md", paragraphs("second", 1), now - Duration.ofHours(1).toNanos() / 1000);
    publisher.publish(newer).join();

    awaitBothHoldExactly(holding(newer));
  }

  @Test
  @Order(3)
  @DisplayName(
      "a document spanning several batches is replaced while a reader queries it: the reader sees one whole version at every read")
  void readerSeesOneWholeVersionDuringReplacement() throws Exception {
    DocumentEvent large = event("notes/large.md", paragraphs("amber", 40), 1);
    publisher.publish(large).join();
    Map<String, IsolatedPipeline.ExpectedChunk> old = pipeline.expectedChunks(List.of(large));
    awaitBothHoldExactly(holding(large));
    DocumentEvent replacement = event("notes/large.md", paragraphs("cobalt", 56), 2);
    Map<String, IsolatedPipeline.ExpectedChunk> fresh =
        pipeline.expectedChunks(List.of(replacement));
    assertThat(fresh.size()).as("chunks of the replacement").isGreaterThan(3 * 16);

    Map<String, Map<String, String>> versions = Map.of("amber", texts(old), "cobalt", texts(fresh));
    ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<String> seen = new ConcurrentLinkedQueue<>();
    AtomicBoolean reading = new AtomicBoolean(true);
    float[] probe = fresh.values().iterator().next().vector();
    Thread reader =
        Thread.ofPlatform()
            .name("reader")
            .start(
                () -> {
                  while (reading.get()) {
                    for (Retriever backend :
                        List.<Retriever>of(pipeline.postgres, pipeline.chroma)) {
                      String name = backend.getClass().getSimpleName();
                      List<ChunkRecord> all =
                          ((ChunkScan) backend).chunksOf(pipeline.physical, List.of(large.getId()));
                      check(name + " chunksOf", all, versions, true, problems, seen);
                      List<ChunkRecord> hits =
                          backend
                              .vectorSearch(
                                  pipeline.physical,
                                  new VectorQuery(
                                      probe,
                                      100,
                                      0.0,
                                      Filter.eq(new Filter.Field.DocumentId(), large.getId())))
                              .stream()
                              .map(SearchHit::chunk)
                              .toList();
                      check(name + " search", hits, versions, false, problems, seen);
                    }
                  }
                });
    try {
      publisher.publish(replacement).join();
      awaitBothHoldExactly(holding(replacement));
    } finally {
      reading.set(false);
      reader.join();
    }

    assertThat(problems).as("reads that saw a mix or a part of a version").isEmpty();
    assertThat(Set.copyOf(seen)).as("versions the reader saw whole").contains("amber", "cobalt");
  }

  @Test
  @Order(4)
  @DisplayName(
      "a late delete from a stale writer removes nothing newer, and a late write cannot bring back a deleted document")
  void staleWriterRemovesAndResurrectsNothing() {
    DocumentEvent kept = event("notes/kept.md", paragraphs("kept", 2), 1);
    DocumentEvent gone = event("notes/gone.md", paragraphs("gone", 1), 1);
    publisher.publish(kept).join();
    publisher.publish(gone).join();
    holding(kept);
    awaitBothHoldExactly(holding(gone));
    ChunkRecord keptChunk =
        pipeline.postgres.chunk(pipeline.physical, kept.getId() + "#0").orElseThrow();
    ChunkRecord goneChunk =
        pipeline.chroma.chunk(pipeline.physical, gone.getId() + "#0").orElseThrow();
    publisher.delete(gone.getId()).join();
    held.keySet().removeIf(id -> id.startsWith(gone.getId() + "#"));
    Map<String, IsolatedPipeline.ExpectedChunk> afterDelete = Map.copyOf(held);
    awaitBothHoldExactly(afterDelete);

    // an evicted sink, still mid-write: a delete older than what is stored, and the old version
    // of the document the log has deleted since
    try (PostgresStore stalePostgres = pipeline.wiring.postgres(1);
        ChromaStore staleChroma = pipeline.wiring.chroma()) {
      for (ChunkWriter stale : List.<ChunkWriter>of(stalePostgres, staleChroma)) {
        stale.write(
            pipeline.physical,
            List.of(
                new ChunkWrite.DeleteDocument(kept.getId(), keptChunk.documentVersion() - 1),
                new ChunkWrite.Upsert(goneChunk, 1)));
      }
    }

    assertBothHoldExactly(afterDelete);
  }

  /**
   * Records a problem unless the chunks are all of one version and (for a read of the whole
   * document) every chunk of it, with that version's texts; records the version seen otherwise.
   */
  private static void check(
      String read,
      List<ChunkRecord> chunks,
      Map<String, Map<String, String>> versions,
      boolean whole,
      ConcurrentLinkedQueue<String> problems,
      ConcurrentLinkedQueue<String> seen) {
    Set<Long> numbers =
        chunks.stream().map(ChunkRecord::documentVersion).collect(Collectors.toSet());
    Map<String, String> actual =
        chunks.stream().collect(Collectors.toMap(ChunkRecord::chunkId, ChunkRecord::text));
    // the versions this read can be of: all of it (or, for a search, part of it) and nothing else;
    // a chunk whose text both versions share (a heading) fits either
    List<String> fitting =
        versions.entrySet().stream()
            .filter(
                v ->
                    whole
                        ? actual.equals(v.getValue())
                        : v.getValue().entrySet().containsAll(actual.entrySet()))
            .map(Map.Entry::getKey)
            .toList();
    if (numbers.size() != 1 || fitting.isEmpty()) {
      problems.add(
          read
              + " saw "
              + actual.size()
              + " chunks of versions "
              + numbers
              + " fitting no version");
    } else if (whole) {
      seen.add(fitting.getFirst());
    }
  }

  /** What the index must hold once {@code document} replaced its earlier state. */
  private static Map<String, IsolatedPipeline.ExpectedChunk> holding(DocumentEvent document) {
    held.keySet().removeIf(id -> id.startsWith(document.getId() + "#"));
    held.putAll(pipeline.expectedChunks(List.of(document)));
    return Map.copyOf(held);
  }

  private static Map<String, String> texts(Map<String, IsolatedPipeline.ExpectedChunk> chunks) {
    return chunks.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().text()));
  }

  private static void awaitBothHoldExactly(Map<String, IsolatedPipeline.ExpectedChunk> expected) {
    IsolatedPipeline.awaitBackends(WAIT)
        .pollInterval(Duration.ofMillis(500))
        .ignoreExceptionsInstanceOf(AssertionError.class)
        .untilAsserted(() -> assertBothHoldExactly(expected));
  }

  private static void assertBothHoldExactly(Map<String, IsolatedPipeline.ExpectedChunk> expected) {
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
  }

  /** A Markdown document of {@code count} paragraphs, each one chunk's worth, marked by a word. */
  private static String paragraphs(String marker, int count) {
    StringBuilder text = new StringBuilder("# ").append(marker).append("\n\n");
    for (int p = 0; p < count; p++) {
      text.append("## Part ").append(p).append("\n\n");
      for (int w = 0; w < 25; w++) {
        text.append(marker).append(' ').append("word").append(w % 7).append(p).append(' ');
      }
      text.append("\n\n");
    }
    return text.toString();
  }

  private static DocumentEvent event(String source, String content, long publisherVersion) {
    return pipeline.document(
        DocumentIds.of(pipeline.index, source), source, content, publisherVersion);
  }

  /**
   * Writes a document into both backends as the release before log versions did: a clock version;
   * in PostgreSQL no tables of versions in progress or deletions; in Chroma records whose id is the
   * chunk id, with no chunk count, and no version markers.
   */
  private static void writeAsBeforeLogVersions(DocumentEvent document) throws Exception {
    Map<String, IsolatedPipeline.ExpectedChunk> chunks = pipeline.expectedChunks(List.of(document));
    List<ChunkRecord> records = new ArrayList<>();
    int position = 0;
    for (Map.Entry<String, IsolatedPipeline.ExpectedChunk> chunk : chunks.entrySet()) {
      records.add(
          ChunkRecord.builder()
              .chunkId(chunk.getKey())
              .documentId(document.getId())
              .documentVersion(CLOCK_VERSION)
              .position(position++)
              .text(chunk.getValue().text())
              .source(document.getSource())
              .sourceType("doc")
              .language("markdown")
              .contentHash(ContentHash.sha256(chunk.getValue().text()))
              .embedding(chunk.getValue().vector())
              .build());
    }
    IndexSpec spec = ChunkWrites.spec(pipeline.contract);
    try (PostgresStore setup = pipeline.wiring.postgres(1)) {
      setup.ensureIndex(spec);
      setup.write(
          pipeline.physical, records.stream().<ChunkWrite>map(ChunkWrite.Upsert::new).toList());
    }
    Settings settings = pipeline.wiring.settings;
    try (Connection connection =
            DriverManager.getConnection(
                settings.get(Settings.PG_URL),
                settings.get(Settings.PG_USER),
                settings.get(Settings.PG_PASSWORD));
        Statement drop = connection.createStatement()) {
      drop.execute(
          "DROP TABLE staged_%1$s, deleted_%1$s".formatted(pipeline.physical)); // the old layout
    }
    try (ChromaClient client = new ChromaClient(ChromaConfig.of(LocalServices.requireChroma()))) {
      // the collection as the release before made it: no companion collection of version markers
      client.getOrCreateCollection(
          pipeline.physical,
          Map.of(
              "model", spec.model(),
              "dimensions", spec.dimensions(),
              "text_search_language", spec.textSearchLanguage()),
          100);
      Function<ChunkRecord, Map<String, Object>> metadata =
          c ->
              Map.of(
                  "document_id", c.documentId(),
                  "document_version", c.documentVersion(),
                  "position", c.position(),
                  "source", c.source(),
                  "source_type", c.sourceType(),
                  "language", c.language(),
                  "heading_path", c.headingPath(),
                  "content_hash", c.contentHash());
      client.upsert(
          client.collection(pipeline.physical).orElseThrow().id(),
          records.stream()
              .map(
                  c ->
                      new ChromaClient.Record(
                          c.chunkId(), c.embedding(), c.text(), metadata.apply(c)))
              .toList());
    }
  }
}
