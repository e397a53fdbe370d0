package dev.agentbrain.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.processor.api.MockProcessorContext.CapturedForward;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Where a chunk's vector comes from: the own store, the shared store, or the real model. */
class VectorCacheTest {

  private static ModelPool models;

  private final MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
  private final IndexerMetrics metrics = new IndexerMetrics(new SimpleMeterRegistry());
  private KeyValueStore<String, byte[]> own;
  private KeyValueStore<String, byte[]> shared;
  private VectorCache cache;

  @BeforeAll
  static void loadModel() {
    models = new ModelPool(1);
  }

  @AfterAll
  static void closeModel() {
    models.close();
  }

  @BeforeEach
  void openStores() {
    context.setCurrentSystemTimeMs(1_000);
    own = store(IndexerTopology.CACHE_STORE);
    shared = store(IndexerTopology.SHARED_CACHE_STORE);
    cache = new VectorCache(context, models, metrics);
  }

  @Test
  @DisplayName("a vector in the own store is reused; nothing is embedded or forwarded")
  void hitInOwnStore() {
    EmbeddedChunk chunk = chunks("run the script").get(0);
    own.put(ChunkEvents.cacheKey(Contracts.docs(false), chunk), ChunkEvents.toBytes(marker(0.5f)));

    List<float[]> vectors = cache.vectors(Contracts.docs(false), List.of(chunk));

    assertThat(vectors).containsExactly(marker(0.5f));
    assertThat(context.forwarded()).isEmpty();
    assertThat(metrics.cacheHits()).isEqualTo(1);
    assertThat(metrics.textsEmbedded()).isZero();
  }

  @Test
  @DisplayName("a vector another application made, in the shared store, is reused")
  void hitInSharedStore() {
    EmbeddedChunk chunk = chunks("run the script").get(0);
    shared.put(
        ChunkEvents.cacheKey(Contracts.docs(false), chunk), ChunkEvents.toBytes(marker(0.25f)));

    List<float[]> vectors = cache.vectors(Contracts.docs(false), List.of(chunk));

    assertThat(vectors).containsExactly(marker(0.25f));
    assertThat(context.forwarded()).isEmpty();
    assertThat(own.approximateNumEntries()).isZero();
    assertThat(metrics.textsEmbedded()).isZero();
  }

  @Test
  @DisplayName(
      "a miss is embedded as the contract's text, kept in the own store and forwarded to share")
  void missIsEmbeddedStoredAndForwarded() {
    EmbeddingContract contract = Contracts.docs(true);
    List<EmbeddedChunk> chunks = chunks("intro", "run the script");
    String cachedKey = ChunkEvents.cacheKey(contract, chunks.get(0));
    own.put(cachedKey, ChunkEvents.toBytes(marker(0.5f)));
    String missKey = ChunkEvents.cacheKey(contract, chunks.get(1));
    float[] expected =
        models
            .model(Contracts.MODEL)
            .embedPassages(List.of("Install > Linux\n\nrun the script"))
            .get(0);

    List<float[]> vectors = cache.vectors(contract, chunks);

    assertThat(vectors).hasSize(2);
    assertThat(vectors.get(0)).isEqualTo(marker(0.5f));
    assertThat(vectors.get(1)).containsExactly(expected, within(1e-6f));
    assertThat(ChunkEvents.fromBytes(own.get(missKey))).isEqualTo(vectors.get(1));
    List<CapturedForward<?, ?>> forwarded = List.copyOf(context.forwarded());
    assertThat(forwarded).hasSize(1);
    assertThat(forwarded.get(0).childName()).contains(IndexerTopology.EMBEDDINGS_SINK);
    assertThat(forwarded.get(0).record().key()).isEqualTo(missKey);
    assertThat((byte[]) forwarded.get(0).record().value()).isEqualTo(own.get(missKey));
    assertThat(metrics.cacheHits()).isEqualTo(1);
    assertThat(metrics.textsEmbedded()).isEqualTo(1);
  }

  private KeyValueStore<String, byte[]> store(String name) {
    KeyValueStore<String, byte[]> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(name), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    context.addStateStore(store);
    return store;
  }

  /** One document's chunks with these texts, each after the first under "Install > Linux". */
  private static List<EmbeddedChunk> chunks(String... texts) {
    DocumentEvent document =
        DocumentEvent.newBuilder()
            .setId("d")
            .setIndex("docs")
            .setSource("d.md")
            .setContent(String.join("\n\n", texts))
            .build();
    return ChunkEvents.of(
        document,
        1,
        Contracts.docs(false),
        Arrays.stream(texts).map(text -> new ChunkDraft(text, 3, "Install > Linux")).toList());
  }

  /** A vector no model makes: every dimension {@code value}. */
  private static float[] marker(float value) {
    float[] vector = new float[384];
    Arrays.fill(vector, value);
    return vector;
  }
}
