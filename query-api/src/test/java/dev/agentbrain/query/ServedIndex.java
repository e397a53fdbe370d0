package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;

/**
 * A logical index of its own on the local services, for API tests: a contract registered under a
 * unique registry namespace, and a small corpus embedded with the real model and written by the
 * real stores to both backends. Closing it drops the index from both and deletes the contract.
 */
final class ServedIndex implements AutoCloseable {

  static final String MODEL = "all-minilm-l6-v2-q";

  /** One document of the fixture corpus; each is one chunk, {@code <id>#0}. */
  record Doc(
      String id,
      String source,
      String sourceType,
      String language,
      Map<String, String> metadata,
      String text) {}

  static final List<Doc> CORPUS =
      List.of(
          new Doc(
              "kafka-consumers",
              "docs/kafka/consumers.md",
              "doc",
              "markdown",
              Map.of("team", "streaming"),
              "Consumer groups share the partitions of a Kafka topic; each partition has exactly one owner in a group."),
          new Doc(
              "kafka-brokers",
              "docs/kafka/brokers.md",
              "doc",
              "markdown",
              Map.of("team", "streaming"),
              "A Kafka broker stores partition replicas on disk and elects a leader for every partition."),
          new Doc(
              "pg-hnsw",
              "docs/postgres/hnsw.md",
              "doc",
              "markdown",
              Map.of("team", "storage"),
              "pgvector builds an HNSW index over the embedding column to find nearest neighbours quickly."),
          new Doc(
              "chroma-collections",
              "docs/chroma/collections.md",
              "doc",
              "markdown",
              Map.of("team", "storage"),
              "Chroma keeps collections of embeddings with their documents and metadata, queried by similarity."),
          new Doc(
              "retry-java",
              "src/main/java/Retry.java",
              "code",
              "java",
              Map.of("team", "platform"),
              "public final class Retry { /* retries a call with exponential backoff and jitter until it succeeds */ }"),
          new Doc(
              "search-py",
              "src/app/search.py",
              "code",
              "python",
              Map.of("team", "search"),
              "def search(query, top_k=5): return the best matching chunks for a query from the vector index"),
          new Doc(
              "index-ts",
              "src/web/index.ts",
              "code",
              "typescript",
              Map.of("team", "search", "tier", "gold"),
              "export function renderResults(results) { /* shows search results with their scores in a table */ }"),
          new Doc(
              "runbook",
              "ops/runbook.md",
              "doc",
              "markdown",
              Map.of("team", "platform", "tier", "gold"),
              "Runbook: when the query API answers 503, check that PostgreSQL and Chroma are running and retry."));

  final String index;
  final ContractRegistry registry;
  final EmbeddingContract contract;
  final String physical;

  private ServedIndex(String index, ContractRegistry registry, EmbeddingContract contract) {
    this.index = index;
    this.registry = registry;
    this.contract = contract;
    this.physical = ContractRegistry.physicalName(index, contract.getVersion());
  }

  /** Registers a fresh index and writes {@link #CORPUS} to both backends. */
  static ServedIndex create(String name) {
    ServedIndex served = register(name, MODEL, 384);
    try (EmbeddingModel model = EmbeddingModels.create(MODEL, 1);
        PostgresStore postgres = postgres();
        ChromaStore chroma = chroma()) {
      List<float[]> vectors = model.embedPassages(CORPUS.stream().map(Doc::text).toList());
      List<ChunkWrite> writes = new ArrayList<>();
      for (int i = 0; i < CORPUS.size(); i++) {
        Doc doc = CORPUS.get(i);
        writes.add(
            new ChunkWrite.Upsert(
                ChunkRecord.builder()
                    .chunkId(doc.id() + "#0")
                    .documentId(doc.id())
                    .documentVersion(1)
                    .position(0)
                    .text(doc.text())
                    .source(doc.source())
                    .sourceType(doc.sourceType())
                    .language(doc.language())
                    .metadata(doc.metadata())
                    .embedding(vectors.get(i))
                    .build()));
      }
      IndexSpec spec = new IndexSpec(served.physical, 384, MODEL, "english");
      for (var store : List.of(postgres, chroma)) {
        store.ensureIndex(spec);
        store.write(served.physical, writes);
      }
    }
    return served;
  }

  /** Registers a contract only (nothing written), e.g. one this service cannot serve. */
  static ServedIndex register(String name, String model, int dimensions) {
    LocalServices.requireRegistry();
    LocalServices.requirePostgres();
    LocalServices.requireChroma();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    ContractRegistry registry =
        new ContractRegistry(
            new RegistryClient(
                URI.create(env("AGENT_BRAIN_REGISTRY_URL", "http://127.0.0.1:18080"))),
            "qapi-" + run);
    String index = name + "_" + run;
    EmbeddingContract contract =
        registry.register(
            EmbeddingContract.newBuilder()
                .setIndex(index)
                .setVersion(0)
                .setProvider("onnx")
                .setModel(model)
                .setDimensions(dimensions)
                .setMetric(DistanceMetric.COSINE)
                .setNormalized(true)
                .setTextSearchLanguage("english")
                .setChunkMaxTokens(100)
                .setChunkOverlapTokens(10)
                .setCreatedAt(Instant.now())
                .build());
    return new ServedIndex(index, registry, contract);
  }

  /**
   * A query server over fresh stores of both backends (postgres primary), as {@code settings}
   * adjust it.
   */
  QueryServer serve(UnaryOperator<QueryServer.Builder> settings) {
    return serve(Map.of(Backend.POSTGRES, postgres(), Backend.CHROMA, chroma()), settings);
  }

  QueryServer serve(
      Map<Backend, Retriever> retrievers, UnaryOperator<QueryServer.Builder> settings) {
    return settings.apply(QueryServer.builder(registry, new EnumMap<>(retrievers))).start();
  }

  static PostgresStore postgres() {
    LocalServices.Postgres pg = LocalServices.requirePostgres();
    return new PostgresStore(PostgresConfig.of(pg.jdbcUrl(), pg.user(), pg.password()));
  }

  static ChromaStore chroma() {
    return new ChromaStore(ChromaConfig.of(LocalServices.requireChroma()));
  }

  private static String env(String name, String fallback) {
    return System.getenv().getOrDefault(name, fallback);
  }

  @Override
  public void close() {
    try (PostgresStore postgres = postgres();
        ChromaStore chroma = chroma()) {
      postgres.dropIndex(physical);
      chroma.dropIndex(physical);
    }
    registry.delete(index);
  }
}
