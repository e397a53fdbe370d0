package dev.agentbrain.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.topics.LocalAvroSerde;
import dev.agentbrain.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The topology with the real embedding model, driven by TopologyTestDriver (no broker needed). */
class IndexerTopologyTest {

  private static final String MODEL = "all-minilm-l6-v2-q";
  private static ModelPool models;

  private final Topics topics = new Topics("t", 1, LocalAvroSerde.values());
  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private IndexerMetrics metrics;
  private TopologyTestDriver driver;
  private TestInputTopic<String, byte[]> documents;
  private TestOutputTopic<String, EmbeddedChunk> chunks;
  private TestOutputTopic<byte[], DeadLetter> deadLetters;
  private TestInputTopic<String, byte[]> sharedIn;
  private TestOutputTopic<String, byte[]> sharedOut;

  @TempDir Path stateDir;

  @BeforeAll
  static void loadModel() {
    models = new ModelPool(2);
  }

  @AfterAll
  static void closeModel() {
    models.close();
  }

  @BeforeEach
  void startDriver() {
    start(Map.of("docs", contract("docs", 384)));
  }

  private void start(Map<String, EmbeddingContract> live) {
    start(live, index -> true);
  }

  private void start(Map<String, EmbeddingContract> live, Predicate<String> handles) {
    metrics = new IndexerMetrics(meters);
    IndexerTopology.Parts parts =
        new IndexerTopology.Parts(
            topics.documents().name(),
            topics.documents().valueSerde().deserializer(),
            chunk ->
                topics.chunks().valueSerde().serializer().serialize(topics.chunks().name(), chunk),
            handles,
            index -> Optional.ofNullable(live.get(index)),
            (index, version) -> live.get(index),
            IndexerTopologyTest::paragraphs,
            models,
            new BatchSettings(4, 10_000, Duration.ofMillis(300)),
            100_000,
            metrics);
    driver =
        new TopologyTestDriver(
            IndexerTopology.build(topics, parts),
            IndexerTopology.streamsConfig("unused:9092", "test-indexer", stateDir));
    documents =
        driver.createInputTopic(
            topics.documents().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    chunks =
        driver.createOutputTopic(
            topics.chunks().name(),
            Serdes.String().deserializer(),
            topics.chunks().valueSerde().deserializer());
    sharedIn =
        driver.createInputTopic(
            topics.embeddings().name(),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer());
    sharedOut =
        driver.createOutputTopic(
            topics.embeddings().name(),
            Serdes.String().deserializer(),
            Serdes.ByteArray().deserializer());
    deadLetters =
        driver.createOutputTopic(
            topics.deadLetters().name(),
            Serdes.ByteArray().deserializer(),
            topics.deadLetters().valueSerde().deserializer());
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  @DisplayName("a small document is embedded once its batch has waited long enough")
  void partialBatchIsFlushedByTime() {
    publish(document("d1", "docs", 1, "Kafka stores events in topics.\n\nStreams process them."));
    assertThat(chunks.isEmpty()).isTrue();

    driver.advanceWallClockTime(Duration.ofMillis(400));

    List<EmbeddedChunk> out = chunks.readValuesToList();
    assertThat(out).extracting(EmbeddedChunk::getChunkId).containsExactly("d1#0", "d1#1");
    assertThat(out).allSatisfy(c -> assertThat(c.getEmbedding()).hasSize(384));
    assertThat(out.get(0).getContentHash())
        .isEqualTo(ContentHash.sha256("Kafka stores events in topics."));
    assertThat(out.get(0).getChunkCount()).isEqualTo(2);
  }

  @Test
  @DisplayName("a full batch is embedded at once, without waiting")
  void fullBatchIsFlushedByCount() {
    publish(document("d1", "docs", 1, "one\n\ntwo\n\nthree\n\nfour\n\nfive"));

    assertThat(chunks.readValuesToList()).hasSize(4);
    driver.advanceWallClockTime(Duration.ofMillis(400));
    assertThat(chunks.readValuesToList()).extracting(EmbeddedChunk::getPosition).containsExactly(4);
  }

  @Test
  @DisplayName(
      "a newer version replaces the pending chunks of the older one, versioned by its log offset even when its publisher's clock is behind")
  void newerVersionDropsPendingOlderChunks() {
    publish(document("d1", "docs", 2_000_000, "old text\n\nold tail"));
    publish(document("d1", "docs", 1_000_000, "new text"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    assertThat(chunks.readValuesToList())
        .extracting(EmbeddedChunk::getText, EmbeddedChunk::getDocumentVersion)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("new text", DocumentVersions.fromLog(1)));
  }

  @Test
  @DisplayName("a tombstone removes the document from its index")
  void tombstoneForwardsDelete() {
    publish(document("d1", "docs", 1, "text"));
    driver.advanceWallClockTime(Duration.ofMillis(400));
    chunks.readValuesToList();

    documents.pipeInput("d1", (byte[]) null);

    EmbeddedChunk removal = chunks.readValue();
    assertThat(removal.getOperation()).isEqualTo(ChunkOperation.DELETE_DOCUMENT);
    assertThat(removal.getDocumentId()).isEqualTo("d1");
    assertThat(removal.getIndex()).isEqualTo("docs");
    assertThat(removal.getDocumentVersion()).isEqualTo(DocumentVersions.fromLog(1));
  }

  @Test
  @DisplayName("unchanged text is served from the embedding cache, not embedded again")
  void unchangedTextComesFromCache() {
    publish(document("d1", "docs", 1, "the same paragraph"));
    driver.advanceWallClockTime(Duration.ofMillis(400));
    float[] first = vector(chunks.readValue());

    publish(document("d1", "docs", 2, "the same paragraph"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    assertThat(vector(chunks.readValue())).isEqualTo(first);
    assertThat(metrics.textsEmbedded()).isEqualTo(1.0);
    assertThat(metrics.cacheHits()).isEqualTo(1.0);
  }

  @Test
  @DisplayName(
      "every vector the model makes is shared on the embeddings topic, keyed by model and text hash")
  void freshVectorsAreShared() {
    publish(document("d1", "docs", 1, "a paragraph worth sharing"));
    driver.advanceWallClockTime(Duration.ofMillis(400));
    float[] emitted = vector(chunks.readValue());

    TestRecord<String, byte[]> shared = sharedOut.readRecord();
    assertThat(shared.key())
        .isEqualTo(MODEL + "|" + ContentHash.sha256("a paragraph worth sharing"));
    assertThat(ChunkEvents.fromBytes(shared.value())).isEqualTo(emitted);
  }

  @Test
  @DisplayName(
      "under chunk context a chunk after the first is embedded with its heading path in front, stored as it is, and cached apart")
  void chunkContextEmbedsTheHeadingPath() {
    driver.close();
    EmbeddingContract withContext = contract("docs", 384);
    withContext.setChunkContext(true);
    start(Map.of("docs", withContext));

    publish(document("d1", "docs", 1, "Kafka stores events.\n\nStreams process them."));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    List<EmbeddedChunk> out = chunks.readValuesToList();
    assertThat(out)
        .extracting(EmbeddedChunk::getText)
        .containsExactly("Kafka stores events.", "Streams process them.");
    List<float[]> expected =
        models
            .model(MODEL)
            .embedPassages(List.of("Kafka stores events.", "Guide\n\nStreams process them."));
    assertThat(vector(out.get(0))).isEqualTo(expected.get(0));
    assertThat(vector(out.get(1))).isEqualTo(expected.get(1));
    assertThat(sharedOut.readRecordsToList())
        .extracting(TestRecord::key)
        .containsExactly(
            MODEL + "|" + ContentHash.sha256("Kafka stores events."),
            MODEL + "|" + ContentHash.sha256("Guide\n\nStreams process them."));
  }

  @Test
  @DisplayName("a vector another indexer application shared is used instead of embedding again")
  void sharedVectorIsReused() {
    float[] other = new float[384];
    other[7] = 1;
    sharedIn.pipeInput(
        MODEL + "|" + ContentHash.sha256("made by the live indexer"), ChunkEvents.toBytes(other));

    publish(document("d1", "docs", 1, "made by the live indexer"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    assertThat(vector(chunks.readValue())).isEqualTo(other);
    assertThat(metrics.textsEmbedded()).isZero();
    assertThat(metrics.cacheHits()).isEqualTo(1.0);
  }

  @Test
  @DisplayName("a reindex of one index skips the documents of other indexes without a dead letter")
  void reindexSkipsOtherIndexes() {
    driver.close();
    start(Map.of("docs", contract("docs", 384)), "docs"::equals);

    publish(document("o1", "other", 1, "not mine"));
    publish(document("d1", "docs", 1, "mine"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    assertThat(chunks.readValuesToList())
        .extracting(EmbeddedChunk::getDocumentId)
        .containsExactly("d1");
    assertThat(deadLetters.isEmpty()).isTrue();
  }

  @Test
  @DisplayName("bytes that are not a document event go to the dead-letter topic, unchanged")
  void poisonGoesToDeadLetters() {
    byte[] garbage = "not avro".getBytes(StandardCharsets.UTF_8);
    documents.pipeInput("d9", garbage);
    publish(document("d1", "docs", 1, "still running"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    TestRecord<byte[], DeadLetter> letter = deadLetters.readRecord();
    assertThat(letter.value().getStage()).isEqualTo("deserialize");
    assertThat(letter.value().getValue().array()).isEqualTo(garbage);
    assertThat(
            new String(
                letter.headers().lastHeader("agentbrain.dlq.stage").value(),
                StandardCharsets.UTF_8))
        .isEqualTo("deserialize");
    assertThat(chunks.readValuesToList()).hasSize(1);
  }

  @Test
  @DisplayName("a document for an index that does not exist goes to the dead-letter topic")
  void unknownIndexGoesToDeadLetters() {
    publish(document("d1", "nosuch", 1, "text"));

    assertThat(deadLetters.readValue().getReason()).contains("index 'nosuch' does not exist");
  }

  @Test
  @DisplayName("vectors that break the contract's dimensions reach no backend")
  void wrongDimensionsGoToDeadLetters() {
    driver.close();
    start(Map.of("docs", contract("docs", 768)));

    publish(document("d1", "docs", 1, "text"));
    driver.advanceWallClockTime(Duration.ofMillis(400));

    assertThat(chunks.isEmpty()).isTrue();
    DeadLetter letter = deadLetters.readValue();
    assertThat(letter.getStage()).isEqualTo("contract");
    assertThat(letter.getReason()).contains("768").contains("384");
  }

  private void publish(DocumentEvent event) {
    documents.pipeInput(
        event.getId(), topics.documents().valueSerde().serializer().serialize("", event));
  }

  private static DocumentEvent document(String id, String index, long version, String content) {
    return DocumentEvent.newBuilder()
        .setId(id)
        .setIndex(index)
        .setSource(id + ".md")
        .setContent(content)
        .setContentHash(ContentHash.sha256(content))
        .setVersion(version)
        .setPublishedAt(Instant.EPOCH)
        .build();
  }

  private static EmbeddingContract contract(String index, int dimensions) {
    return EmbeddingContract.newBuilder()
        .setIndex(index)
        .setVersion(1)
        .setProvider("onnx")
        .setModel(MODEL)
        .setDimensions(dimensions)
        .setMetric(DistanceMetric.COSINE)
        .setChunkMaxTokens(100)
        .build();
  }

  /** A splitter for these tests: one chunk per paragraph, tokens = words, all under "Guide". */
  private static List<ChunkDraft> paragraphs(DocumentEvent document, EmbeddingContract contract) {
    return Arrays.stream(document.getContent().split("\n\n"))
        .map(p -> new ChunkDraft(p, p.split("\\s+").length, "Guide"))
        .toList();
  }

  private static float[] vector(EmbeddedChunk chunk) {
    float[] v = new float[chunk.getEmbedding().size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = chunk.getEmbedding().get(i);
    }
    return v;
  }
}
