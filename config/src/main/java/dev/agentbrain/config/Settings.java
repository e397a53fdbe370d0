package dev.agentbrain.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Every setting of Agent Brain, read from environment variables. Defaults suit one machine with the
 * services that {@code make up} starts; all ports are on loopback.
 */
public final class Settings {

  public static final Setting<String> KAFKA_BOOTSTRAP =
      Setting.of(
          "AGENT_BRAIN_KAFKA_BOOTSTRAP",
          "127.0.0.1:19092",
          Parsers.nonBlank(),
          "Kafka bootstrap servers");
  public static final Setting<URI> REGISTRY_URL =
      Setting.of(
          "AGENT_BRAIN_REGISTRY_URL",
          "http://127.0.0.1:18080",
          Parsers.httpUri(),
          "Apicurio Registry base URL (without /apis/...)");
  public static final Setting<URI> CHROMA_URL =
      Setting.of(
          "AGENT_BRAIN_CHROMA_URL",
          "http://127.0.0.1:18000",
          Parsers.httpUri(),
          "Chroma server base URL");
  public static final Setting<String> CHROMA_TOKEN =
      Setting.secret(
          "AGENT_BRAIN_CHROMA_TOKEN",
          "token sent to Chroma in the X-Chroma-Token header (masked): for Chroma Cloud or a Chroma"
              + " behind a proxy that checks it; empty sends none");
  public static final Setting<String> PG_URL =
      Setting.of(
          "AGENT_BRAIN_PG_URL",
          "jdbc:postgresql://127.0.0.1:5432/agentbrain",
          Parsers.nonBlank(),
          "PostgreSQL JDBC URL");
  public static final Setting<String> PG_USER =
      Setting.of("AGENT_BRAIN_PG_USER", "postgres", Parsers.nonBlank(), "PostgreSQL user");
  public static final Setting<String> PG_PASSWORD =
      Setting.secret("AGENT_BRAIN_PG_PASSWORD", "PostgreSQL password (masked)");
  public static final Setting<String> PG_READ_USER =
      Setting.of(
          "AGENT_BRAIN_PG_READ_USER",
          "agentbrain_reader",
          Parsers.nonBlank(),
          "PostgreSQL user of the query API: may only read (`make up` creates agentbrain_reader"
              + " with SELECT alone); the indexer and admin commands write as AGENT_BRAIN_PG_USER");
  public static final Setting<String> PG_READ_PASSWORD =
      Setting.secret(
          "AGENT_BRAIN_PG_READ_PASSWORD", "password of AGENT_BRAIN_PG_READ_USER (masked)");
  public static final Setting<Backend> STORAGE_BACKEND =
      Setting.of(
          "AGENT_BRAIN_STORAGE_BACKEND",
          "postgres",
          Parsers.oneOf(Backend.class),
          "backend that answers queries: postgres or chroma");
  public static final Setting<Optional<Backend>> SHADOW_BACKEND =
      Setting.of(
          "AGENT_BRAIN_SHADOW_BACKEND",
          "none",
          Parsers.noneOr(Backend.class),
          "backend that shadows the primary (same writes, sampled queries compared): none, postgres"
              + " or chroma; `agent-brain shadow promote` swaps the roles at run time");
  public static final Setting<Double> SHADOW_SAMPLE =
      Setting.of(
          "AGENT_BRAIN_SHADOW_SAMPLE",
          "0.1",
          Parsers.fraction(),
          "share of live queries the query API also sends to the shadow, 0 to 1");
  public static final Setting<Integer> SHADOW_QUEUE =
      Setting.of(
          "AGENT_BRAIN_SHADOW_QUEUE",
          "64",
          Parsers.intRange(1, 100_000),
          "sampled queries waiting for the shadow at most; more are dropped and counted");
  public static final Setting<String> TOPIC_PREFIX =
      Setting.of(
          "AGENT_BRAIN_TOPIC_PREFIX",
          "agentbrain",
          Parsers.nonBlank(),
          "prefix of every topic name and consumer group");
  public static final Setting<Integer> PARTITIONS =
      Setting.of(
          "AGENT_BRAIN_PARTITIONS",
          "6",
          Parsers.intRange(1, 1000),
          "partitions of the documents and chunks topics when they are created");
  public static final Setting<String> EMBEDDING_MODEL =
      Setting.of(
          "AGENT_BRAIN_EMBEDDING_MODEL",
          "bge-small-en-v1.5-q",
          Parsers.nonBlank(),
          "embedding model of new indexes: bge-small-en-v1.5-q or all-minilm-l6-v2-q");
  public static final Setting<String> API_HOST =
      Setting.of(
          "AGENT_BRAIN_API_HOST",
          "127.0.0.1",
          Parsers.nonBlank(),
          "address the query API binds to");
  public static final Setting<Integer> API_PORT =
      Setting.of("AGENT_BRAIN_API_PORT", "18888", Parsers.port(), "query API port");

  public static final Setting<String> API_TOKEN =
      Setting.secret(
          "AGENT_BRAIN_API_TOKEN",
          "bearer token the query API requires (masked); required when API_HOST is not loopback");
  public static final Setting<String> API_ADMIN_TOKEN =
      Setting.secret(
          "AGENT_BRAIN_API_ADMIN_TOKEN",
          "bearer token for admin calls, e.g. choosing the backend per request (masked)");
  public static final Setting<Integer> API_MAX_IN_FLIGHT =
      Setting.of(
          "AGENT_BRAIN_API_MAX_IN_FLIGHT",
          "16",
          Parsers.intRange(1, 10_000),
          "searches the query API runs at once; more wait, then get 429");
  public static final Setting<Integer> API_ADMISSION_WAIT_MS =
      Setting.of(
          "AGENT_BRAIN_API_ADMISSION_WAIT_MS",
          "500",
          Parsers.intRange(0, 60_000),
          "how long a search may wait for a free slot before it is refused with 429 (ms)");
  public static final Setting<Integer> API_QUERY_CACHE_SIZE =
      Setting.of(
          "AGENT_BRAIN_API_QUERY_CACHE_SIZE",
          "2048",
          Parsers.intRange(1, 1_000_000),
          "query embeddings the query API keeps (LRU)");
  public static final Setting<Integer> PG_READ_POOL_SIZE =
      Setting.of(
          "AGENT_BRAIN_PG_READ_POOL_SIZE",
          "8",
          Parsers.intRange(1, 1000),
          "PostgreSQL connections of the query API (HikariCP pool size)");
  public static final Setting<Integer> PG_ACQUIRE_TIMEOUT_MS =
      Setting.of(
          "AGENT_BRAIN_PG_ACQUIRE_TIMEOUT_MS",
          "2000",
          Parsers.intRange(250, 600_000),
          "how long the query API waits for a PostgreSQL connection before answering 503 (ms)");
  public static final Setting<Integer> PG_STATEMENT_TIMEOUT_MS =
      Setting.of(
          "AGENT_BRAIN_PG_STATEMENT_TIMEOUT_MS",
          "10000",
          Parsers.intRange(100, 600_000),
          "PostgreSQL cancels a query API statement that runs longer (statement_timeout, ms);"
              + " the search answers 503");
  public static final Setting<Integer> EF_SEARCH =
      Setting.of(
          "AGENT_BRAIN_EF_SEARCH",
          "100",
          Parsers.intRange(1, 1000),
          "HNSW candidate list of a vector search (raised to top_k): PostgreSQL per query; Chroma"
              + " per collection, when the collection is created");

  public static final Setting<String> SINKS =
      Setting.of(
          "AGENT_BRAIN_SINKS",
          "postgres,chroma",
          Parsers.nonBlank(),
          "backends the indexer writes to (comma-separated): postgres, chroma");
  public static final Setting<Integer> EMBEDDING_THREADS =
      Setting.of(
          "AGENT_BRAIN_EMBEDDING_THREADS",
          "cores",
          Parsers.threadsOrCores(),
          "concurrent embedding calls, 1 to 256, or cores: one per core (the fastest)");
  public static final Setting<Integer> BATCH_MAX_CHUNKS =
      Setting.of(
          "AGENT_BRAIN_BATCH_MAX_CHUNKS",
          "64",
          Parsers.intRange(1, 10_000),
          "an embedding batch is sent when it holds this many chunks");
  public static final Setting<Integer> BATCH_MAX_TOKENS =
      Setting.of(
          "AGENT_BRAIN_BATCH_MAX_TOKENS",
          "24000",
          Parsers.intRange(1, 10_000_000),
          "... or this many tokens");
  public static final Setting<Integer> BATCH_MAX_WAIT_MS =
      Setting.of(
          "AGENT_BRAIN_BATCH_MAX_WAIT_MS",
          "300",
          Parsers.intRange(1, 600_000),
          "... or when its oldest chunk has waited this long (ms)");
  public static final Setting<Integer> INDEXER_METRICS_PORT =
      Setting.of(
          "AGENT_BRAIN_INDEXER_METRICS_PORT",
          "18889",
          Parsers.intRange(0, 65535),
          "port of the indexer's Prometheus /metrics and /health (on AGENT_BRAIN_API_HOST); 0 turns it off");
  public static final Setting<List<Path>> INDEX_ROOTS =
      Setting.of(
          "AGENT_BRAIN_INDEX_ROOTS",
          "",
          Parsers.absolutePaths(),
          "folders (absolute, separated by :) under which POST /index may index; empty: none");
  public static final Setting<String> HOME =
      Setting.of(
          "AGENT_BRAIN_HOME",
          ".agent-brain",
          Parsers.nonBlank(),
          "state directory: logs, pid files, Kafka/Chroma data, Streams state (relative to the repo)");

  /** All settings, in the order the configuration reference lists them. */
  public static final List<Setting<?>> ALL =
      List.of(
          KAFKA_BOOTSTRAP,
          REGISTRY_URL,
          CHROMA_URL,
          CHROMA_TOKEN,
          PG_URL,
          PG_USER,
          PG_PASSWORD,
          PG_READ_USER,
          PG_READ_PASSWORD,
          STORAGE_BACKEND,
          SHADOW_BACKEND,
          SHADOW_SAMPLE,
          SHADOW_QUEUE,
          TOPIC_PREFIX,
          PARTITIONS,
          EMBEDDING_MODEL,
          API_HOST,
          API_PORT,
          API_TOKEN,
          API_ADMIN_TOKEN,
          API_MAX_IN_FLIGHT,
          API_ADMISSION_WAIT_MS,
          API_QUERY_CACHE_SIZE,
          PG_READ_POOL_SIZE,
          PG_ACQUIRE_TIMEOUT_MS,
          PG_STATEMENT_TIMEOUT_MS,
          EF_SEARCH,
          SINKS,
          EMBEDDING_THREADS,
          BATCH_MAX_CHUNKS,
          BATCH_MAX_TOKENS,
          BATCH_MAX_WAIT_MS,
          INDEXER_METRICS_PORT,
          INDEX_ROOTS,
          HOME);

  /**
   * Every setting {@code agent-brain config} and the configuration reference list: {@link #ALL},
   * then those of the embedding services reached over HTTP ({@link HttpEmbeddingSettings}).
   */
  public static final List<Setting<?>> REFERENCE =
      Stream.of(ALL, HttpEmbeddingSettings.OPENAI.all(), HttpEmbeddingSettings.OLLAMA.all())
          .flatMap(List::stream)
          .toList();

  private final Map<String, String> env;

  private Settings(Map<String, String> env) {
    this.env = Map.copyOf(env);
  }

  /** Settings from this process's environment. */
  public static Settings fromEnvironment() {
    return new Settings(System.getenv());
  }

  /** Settings from the given variables (unset ones take their defaults); for tests and tools. */
  public static Settings of(Map<String, String> variables) {
    return new Settings(variables);
  }

  /** The value of a setting, validated. */
  public <T> T get(Setting<T> setting) {
    return setting.parse(env.get(setting.env()));
  }

  /** The value as it may be shown: secrets are masked. */
  public String display(Setting<?> setting) {
    return setting.display(env.get(setting.env()));
  }

  /** Fails with the first invalid value, naming its variable. */
  public void validate() {
    ALL.forEach(this::get);
  }
}
