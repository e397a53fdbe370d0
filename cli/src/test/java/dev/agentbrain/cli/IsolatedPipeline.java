package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Setting;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.indexer.BatchSettings;
import dev.agentbrain.indexer.ChunkEvents;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.indexer.TokenSplitter;
import dev.agentbrain.publish.DocumentIds;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;

/**
 * A pipeline of its own on the local services, for integration tests: a unique topic prefix and
 * logical index (contract registered), a store per backend, and what the indexer must make of a
 * list of documents. Closing it drops the index from both backends and closes the stores.
 */
final class IsolatedPipeline implements AutoCloseable {

  /** The fast model: integration tests need a real one, not the best one. */
  static final String FAST_MODEL = "all-minilm-l6-v2-q";

  /** Small batches on a short timer, so that a test sees chunks move soon. */
  static final BatchSettings TEST_BATCHES = new BatchSettings(16, 8_000, Duration.ofMillis(200));

  /** What a backend must hold for one chunk id. */
  record ExpectedChunk(String text, long documentVersion, float[] vector) {}

  private static final List<String> WORDS =
      List.of(
          "kafka",
          "partition",
          "offset",
          "consumer",
          "group",
          "broker",
          "replica",
          "leader",
          "vector",
          "embedding",
          "index",
          "chunk",
          "token",
          "batch",
          "commit",
          "transaction",
          "schema",
          "registry",
          "contract",
          "backend",
          "postgres",
          "chroma",
          "search",
          "query",
          "latency",
          "throughput",
          "stream",
          "topology",
          "state",
          "store",
          "changelog",
          "cache");

  /** Environment of this pipeline's processes: the caller's, plus its own topic prefix. */
  final Map<String, String> env;

  final Wiring wiring;
  final String index;
  final EmbeddingContract contract;
  final String physical;
  final PostgresStore postgres;
  final ChromaStore chroma;

  private IsolatedPipeline(
      Map<String, String> env, String index, String model, Integer chunkTokens, Integer overlap) {
    this.env = Map.copyOf(env);
    this.wiring = new Wiring(Settings.of(env));
    this.index = index;
    this.contract =
        wiring
            .contracts()
            .register(IndexContracts.draft(index, model, "english", chunkTokens, overlap, null));
    this.physical = ContractRegistry.physicalName(index, contract.getVersion());
    this.postgres = wiring.postgres(2);
    this.chroma = wiring.chroma();
  }

  /**
   * Checks that every service is up (failing with how to start it otherwise) and registers a fresh
   * index named {@code name_<random>} on topics prefixed {@code name-<random>}.
   */
  static IsolatedPipeline start(String name, int partitions) {
    return start(name, partitions, FAST_MODEL, Map.of());
  }

  /** As {@link #start(String, int)}, with an index embedded by {@code model}. */
  static IsolatedPipeline start(String name, int partitions, String model) {
    return start(name, partitions, model, Map.of());
  }

  /**
   * As {@link #start(String, int, String)}, with the chunk size and overlap a user's new index of
   * {@code model} gets (the tests' own pipelines cut small chunks, to have many).
   */
  static IsolatedPipeline startAsUsersIndex(String name, int partitions, String model) {
    return start(name, partitions, model, Map.of(), null, null);
  }

  /**
   * As {@link #start(String, int)}, with some settings overridden (a private broker, database or
   * Chroma of the test's own: {@code AGENT_BRAIN_KAFKA_BOOTSTRAP}, ...).
   */
  static IsolatedPipeline start(String name, int partitions, Map<Setting<?>, String> overrides) {
    return start(name, partitions, FAST_MODEL, overrides);
  }

  private static IsolatedPipeline start(
      String name, int partitions, String model, Map<Setting<?>, String> overrides) {
    return start(name, partitions, model, overrides, 100, 10);
  }

  private static IsolatedPipeline start(
      String name,
      int partitions,
      String model,
      Map<Setting<?>, String> overrides,
      Integer chunkTokens,
      Integer overlap) {
    LocalServices.requireKafka();
    LocalServices.requireRegistry();
    LocalServices.requirePostgres();
    LocalServices.requireChroma();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(Settings.TOPIC_PREFIX.env(), name + "-" + run);
    env.put(Settings.PARTITIONS.env(), String.valueOf(partitions));
    overrides.forEach((setting, value) -> env.put(setting.env(), value));
    return new IsolatedPipeline(env, name + "_" + run, model, chunkTokens, overlap);
  }

  /**
   * The query API as {@code serve} configures it, over this pipeline's settings and both stores.
   */
  QueryServer.Builder queryServer() {
    return ServeCommand.configure(
        QueryServer.builder(wiring.contracts(), ServeCommand.retrievers(wiring)), wiring);
  }

  /**
   * {@code agent-brain <arguments>} as a child JVM on this test's class path, with this pipeline's
   * environment: for tests that need a real process (its exit, its whole log output).
   */
  ProcessBuilder agentBrain(String... arguments) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("--enable-native-access=ALL-UNNAMED");
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(AgentBrain.class.getName());
    command.addAll(List.of(arguments));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().putAll(env);
    return builder;
  }

  /** An indexer writing to both backends, keeping its Streams state in {@code stateDir}. */
  IndexerService indexer(Path stateDir) {
    return indexer(
        stateDir, List.of(postgresSink(), chromaSink(wiring.settings.get(Settings.CHROMA_URL))));
  }

  /** An indexer writing to the given sinks, keeping its Streams state in {@code stateDir}. */
  IndexerService indexer(Path stateDir, List<IndexerService.Sink> sinks) {
    return IndexerService.create(
        new IndexerService.Options(wiring.bootstrap(), stateDir, 2, TEST_BATCHES, 1_000_000),
        wiring.topics(),
        wiring.contracts(),
        sinks,
        new SimpleMeterRegistry());
  }

  IndexerService.Sink postgresSink() {
    return new IndexerService.Sink(Stage.SINK_POSTGRES, wiring.postgres(2));
  }

  /** A sink into the Chroma server at {@code url}. */
  static IndexerService.Sink chromaSink(URI url) {
    return new IndexerService.Sink(Stage.SINK_CHROMA, new ChromaStore(ChromaConfig.of(url)));
  }

  /**
   * {@code count} Markdown documents of this index, each a heading and one to five paragraphs of
   * words drawn with {@code seed}, so that they cut into one to several chunks.
   */
  List<DocumentEvent> documents(int count, long seed) {
    Random random = new Random(seed);
    List<DocumentEvent> documents = new ArrayList<>(count);
    for (int d = 0; d < count; d++) {
      StringBuilder content = new StringBuilder("# Note ").append(d).append("\n\n");
      int paragraphs = 1 + random.nextInt(5);
      for (int p = 0; p < paragraphs; p++) {
        int words = 20 + random.nextInt(60);
        for (int w = 0; w < words; w++) {
          content.append(WORDS.get(random.nextInt(WORDS.size()))).append(w % 12 == 11 ? ". " : " ");
        }
        content.append("\n\n");
      }
      documents.add(document("notes/note-" + d + ".md", content.toString()));
    }
    return documents;
  }

  /** A Markdown document of this index, version 1. */
  DocumentEvent document(String source, String content) {
    return document(source, content, 1);
  }

  /** A Markdown document of this index at {@code source}, in the given version. */
  DocumentEvent document(String source, String content, long version) {
    return document(DocumentIds.of(index, source), source, content, version);
  }

  /**
   * A Markdown document of this index.
   *
   * @param publisherVersion the version its publisher stamps (its clock; informational only)
   */
  DocumentEvent document(String id, String source, String content, long publisherVersion) {
    return DocumentEvent.newBuilder()
        .setId(id)
        .setIndex(index)
        .setSource(source)
        .setLanguage("markdown")
        .setContentType("text/markdown")
        .setContent(content)
        .setContentHash(ContentHash.sha256(content))
        .setVersion(publisherVersion)
        .setPublishedAt(Instant.now())
        .build();
  }

  /**
   * What a correct indexer makes of the documents, by chunk id: the chunks the indexer's own
   * splitter cuts, each embedded as the contract says ({@link ChunkEvents#textToEmbed}: with its
   * heading path in front under chunk context), so the vectors are identical.
   */
  Map<String, ExpectedChunk> expectedChunks(List<DocumentEvent> documents) {
    try (ModelPool models = new ModelPool(2)) {
      TokenSplitter splitter = new TokenSplitter(models);
      EmbeddingModel model = models.forContract(contract);
      Map<String, EmbeddedChunk> byId = new LinkedHashMap<>();
      Map<String, Long> versions = new HashMap<>();
      for (DocumentEvent document : documents) {
        for (EmbeddedChunk chunk :
            ChunkEvents.of(document, 0, contract, splitter.split(document, contract))) {
          byId.put(chunk.getChunkId(), chunk);
          versions.put(chunk.getChunkId(), document.getVersion());
        }
      }
      List<EmbeddedChunk> chunks = new ArrayList<>(byId.values());
      List<float[]> vectors =
          model.embedPassages(
              chunks.stream().map(c -> ChunkEvents.textToEmbed(contract, c, model)).toList());
      Map<String, ExpectedChunk> expected = new LinkedHashMap<>();
      for (int i = 0; i < chunks.size(); i++) {
        String id = chunks.get(i).getChunkId();
        expected.put(
            id, new ExpectedChunk(chunks.get(i).getText(), versions.get(id), vectors.get(i)));
      }
      return expected;
    }
  }

  /** How many chunks the backend holds for this index; 0 until a sink has created it. */
  long count(Retriever backend) {
    try {
      return backend.count(physical, Filter.ALL);
    } catch (NoSuchIndexException e) {
      return 0;
    }
  }

  /** Awaitility for conditions on the backends: a transient backend error means "not yet". */
  static ConditionFactory awaitBackends(Duration atMost) {
    return Awaitility.await()
        .atMost(atMost)
        .ignoreExceptionsInstanceOf(StorageUnavailableException.class);
  }

  /** A publisher onto this pipeline's topics; the caller closes it. */
  DocumentPublisher publisher() {
    return DocumentPublisher.connect(wiring.bootstrap(), wiring.topics());
  }

  /**
   * Records in this pipeline's dead-letter topic (one partition). Tests of faults assert 0: a fault
   * must delay writes, never refuse them.
   */
  long deadLetters() throws Exception {
    String topic = wiring.topics().deadLetters().name();
    try (Admin admin = wiring.admin()) {
      return admin
          .listOffsets(Map.of(new TopicPartition(topic, 0), OffsetSpec.latest()))
          .all()
          .get()
          .values()
          .stream()
          .mapToLong(info -> info.offset())
          .sum();
    }
  }

  /** Chunks of this index in each backend. */
  record Counts(long postgres, long chroma) {}

  Counts counts() {
    return new Counts(count(postgres), count(chroma));
  }

  /** How many chunks the indexer's splitter cuts from the documents (nothing embedded). */
  int chunkCount(List<DocumentEvent> documents) {
    try (ModelPool models = new ModelPool(1)) {
      TokenSplitter splitter = new TokenSplitter(models);
      return documents.stream().mapToInt(d -> splitter.split(d, contract).size()).sum();
    }
  }

  /**
   * The query API as {@code agent-brain serve} runs it, on this pipeline's topics and index, with
   * its state (the Chroma keyword indexes) in {@code home}, on a free port, and these settings
   * added.
   */
  ServeCommand.Serving serve(Path home, Map<Setting<?>, String> settings) throws IOException {
    Map<String, String> serveEnv = new HashMap<>(env);
    serveEnv.put(Settings.HOME.env(), home.toString());
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      serveEnv.put(Settings.API_PORT.env(), String.valueOf(probe.getLocalPort()));
    }
    settings.forEach((setting, value) -> serveEnv.put(setting.env(), value));
    return ServeCommand.start(new Wiring(Settings.of(serveEnv)));
  }

  /** True when each backend holds {@code chunks} chunks of this index. */
  boolean bothBackendsCount(int chunks) {
    return counts().equals(new Counts(chunks, chunks));
  }

  /**
   * Asserts that the backend holds exactly the expected chunks: the same number, and every expected
   * id with its text, document version and vector (ids are unique in a backend, so nothing else is
   * there).
   */
  void assertHoldsExactly(Retriever backend, Map<String, ExpectedChunk> expected) {
    String name = backend.getClass().getSimpleName();
    assertThat(count(backend)).as("chunks in %s", name).isEqualTo(expected.size());
    Map<String, Long> logVersions = logVersions();
    for (Map.Entry<String, ExpectedChunk> entry : expected.entrySet()) {
      ChunkRecord stored = backend.chunk(physical, entry.getKey()).orElse(null);
      assertThat(stored).as("chunk %s in %s", entry.getKey(), name).isNotNull();
      assertThat(stored.text())
          .as("text of %s in %s", entry.getKey(), name)
          .isEqualTo(entry.getValue().text());
      String documentId = entry.getKey().substring(0, entry.getKey().lastIndexOf('#'));
      // versions come from the log: the offset of the document's latest record; a document the
      // test wrote straight into the stores (an index from before log versions) keeps its own
      assertThat(stored.documentVersion())
          .as("document version of %s in %s", entry.getKey(), name)
          .isEqualTo(logVersions.getOrDefault(documentId, entry.getValue().documentVersion()));
      assertThat(stored.embedding())
          .as("vector of %s in %s", entry.getKey(), name)
          .containsExactly(entry.getValue().vector(), org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  /** The version each document of the documents topic has in the stores: its latest record's. */
  private Map<String, Long> logVersions() {
    Map<String, Long> versions = new HashMap<>();
    TopicContents.forEachRecord(
        wiring.bootstrap(),
        wiring.topics().documents().name(),
        new org.apache.kafka.common.serialization.StringDeserializer(),
        new org.apache.kafka.common.serialization.ByteArrayDeserializer(),
        TopicContents.ALL,
        record ->
            versions.put(
                record.key(), dev.agentbrain.storage.DocumentVersions.fromLog(record.offset())));
    return versions;
  }

  /**
   * Changes the text of one chunk in {@code backend} behind the pipeline's back (" tampered" is
   * appended), keeping everything else, as a corruption a reconciliation must find.
   */
  <S extends ChunkWriter & Retriever> void tamperWithText(S backend, String chunkId) {
    ChunkRecord original = backend.chunk(physical, chunkId).orElseThrow();
    backend.write(
        physical,
        List.of(
            new ChunkWrite.Upsert(
                original.toBuilder().text(original.text() + " tampered").build())));
  }

  @Override
  public void close() {
    postgres.dropIndex(physical);
    chroma.dropIndex(physical);
    postgres.close();
    chroma.close();
  }
}
