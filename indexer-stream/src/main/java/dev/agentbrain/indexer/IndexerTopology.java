package dev.agentbrain.indexer;

import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.events.PendingChunk;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.topics.LocalAvroSerde;
import dev.agentbrain.topics.Topic;
import dev.agentbrain.topics.Topics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The indexer's Kafka Streams topology: documents in, embedded chunks and dead letters out.
 *
 * <pre>
 *   documents ─▶ chunk-embedder ─┬─▶ chunks
 *                (pending, embedding-cache, document-index stores)
 *                                ├─▶ dlq
 *                                └─▶ embeddings ─▶ shared-embeddings (global store, every app)
 * </pre>
 *
 * <p>The {@code embedding-cache} store is this application's own (changelogged); the {@code
 * shared-embeddings} global store is filled from the compacted embeddings topic that every indexer
 * application writes, so a reindex finds the vectors the live indexer (or an earlier reindex) made.
 */
public final class IndexerTopology {

  static final String PENDING_STORE = "pending";
  static final String CACHE_STORE = "embedding-cache";
  static final String DOCUMENT_INDEX_STORE = "document-index";
  static final String SHARED_CACHE_STORE = "shared-embeddings";
  static final String CHUNKS_SINK = "chunks";
  static final String EMBEDDINGS_SINK = "embeddings";
  static final String DLQ_SINK = "dlq";

  private IndexerTopology() {}

  /**
   * What the topology is made of.
   *
   * @param documentsTopic name of the source topic
   * @param documentDeserializer reads document events (from the registry)
   * @param chunkBytes a chunk as the chunks topic holds it, for the dead letters of refused chunks
   * @param handles the indexes this application embeds; documents of any other index are skipped
   *     without a dead letter (a reindex embeds one index and leaves the rest to the live indexer)
   * @param contracts the contract an index's documents are embedded into (the live one, or the
   *     pinned version of a reindex), empty when it has none
   * @param contractVersions a contract by index and version
   * @param splitter cuts documents into chunks
   * @param models embedding models
   * @param batch batching limits
   * @param maxContentChars longest document text accepted
   * @param metrics where counts and timings go
   */
  public record Parts(
      String documentsTopic,
      Deserializer<DocumentEvent> documentDeserializer,
      Function<EmbeddedChunk, byte[]> chunkBytes,
      Predicate<String> handles,
      Function<String, Optional<EmbeddingContract>> contracts,
      BiFunction<String, Integer, EmbeddingContract> contractVersions,
      DocumentSplitter splitter,
      ModelPool models,
      BatchSettings batch,
      int maxContentChars,
      IndexerMetrics metrics) {

    Serializer<String> keySerializer() {
      return Serdes.String().serializer();
    }
  }

  /** The topology; the same one runs in production and in {@code TopologyTestDriver}. */
  public static Topology build(Topics topics, Parts parts) {
    Topic<String, DocumentEvent> documents = topics.documents();
    Topic<String, EmbeddedChunk> chunks = topics.chunks();
    Topic<byte[], DeadLetter> dlq = topics.deadLetters();
    Serde<PendingChunk> pendingSerde =
        LocalAvroSerde.of(PendingChunk.class, PendingChunk.getClassSchema());
    Topology topology = new Topology();
    topology.addSource(
        "documents",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        documents.name());
    topology.addProcessor("chunk-embedder", () -> new ChunkEmbedder(parts), "documents");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(PENDING_STORE), Serdes.String(), pendingSerde),
        "chunk-embedder");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(CACHE_STORE), Serdes.String(), Serdes.ByteArray()),
        "chunk-embedder");
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(DOCUMENT_INDEX_STORE), Serdes.String(), Serdes.String()),
        "chunk-embedder");
    topology.addSink(
        CHUNKS_SINK,
        chunks.name(),
        chunks.keySerde().serializer(),
        chunks.valueSerde().serializer(),
        "chunk-embedder");
    topology.addSink(
        EMBEDDINGS_SINK,
        topics.embeddings().name(),
        Serdes.String().serializer(),
        Serdes.ByteArray().serializer(),
        "chunk-embedder");
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(SHARED_CACHE_STORE),
                Serdes.String(),
                Serdes.ByteArray())
            .withLoggingDisabled(), // the topic is its changelog
        "embeddings-source",
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topics.embeddings().name(),
        "embeddings-loader",
        SharedCacheLoader::new);
    topology.addSink(
        DLQ_SINK,
        dlq.name(),
        dlq.keySerde().serializer(),
        dlq.valueSerde().serializer(),
        "chunk-embedder");
    return topology;
  }

  /**
   * Streams settings: exactly-once, so a chunk is emitted once per document version even across
   * crashes.
   *
   * @param applicationId consumer group and state prefix; a reindex uses its own
   */
  public static Properties streamsConfig(String bootstrap, String applicationId, Path stateDir) {
    Map<String, Object> config = new HashMap<>();
    config.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
    config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    config.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
    config.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, 1);
    // static membership: an instance restarted after a crash takes its partitions back at once
    // instead of waiting for its dead predecessor's session to expire (45 s)
    config.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG),
        instanceId(applicationId, stateDir));
    // the model is the bottleneck: a transaction may span several embedding batches
    config.put(StreamsConfig.producerPrefix(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG), 120_000);
    config.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG), 16 * 1024 * 1024);
    config.put(StreamsConfig.producerPrefix(ProducerConfig.COMPRESSION_TYPE_CONFIG), "lz4");
    // few documents per poll: a document can hold many chunks, and stopping waits for the poll's
    // work
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 20);
    config.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG), 600_000);
    config.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_BYTES_CONFIG), 16 * 1024 * 1024);
    config.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG),
        8 * 1024 * 1024);
    Properties properties = new Properties();
    properties.putAll(config);
    return properties;
  }

  /**
   * The same for every start of one instance and different for every other: one state directory
   * serves one running instance at a time (Streams locks it), on one host.
   */
  static String instanceId(String applicationId, Path stateDir) {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "localhost";
    }
    String place = host + ":" + stateDir.toAbsolutePath().normalize();
    return applicationId + "-" + ContentHash.sha256(place).substring(0, 12);
  }
}
