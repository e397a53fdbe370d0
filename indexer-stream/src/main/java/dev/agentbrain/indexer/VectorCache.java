package dev.agentbrain.indexer;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Vectors for chunks, made once: a chunk's vector is looked up under {@link ChunkEvents#cacheKey}
 * in this application's {@code embedding-cache} store, then in the {@code shared-embeddings} store
 * that every indexer application fills; only the chunks found in neither are embedded, in one model
 * call on {@link ChunkEvents#textToEmbed}. A new vector goes into the own store and to the
 * embeddings topic, from which every application's shared store is filled.
 */
final class VectorCache {

  private final ProcessorContext<Object, Object> context;
  private final KeyValueStore<String, byte[]> own;
  private final KeyValueStore<String, byte[]> shared;
  private final ModelPool models;
  private final IndexerMetrics metrics;

  /** Reads both stores from the context, which also takes the new vectors forwarded. */
  VectorCache(ProcessorContext<Object, Object> context, ModelPool models, IndexerMetrics metrics) {
    this.context = context;
    this.own = context.getStateStore(IndexerTopology.CACHE_STORE);
    this.shared = context.getStateStore(IndexerTopology.SHARED_CACHE_STORE);
    this.models = models;
    this.metrics = metrics;
  }

  /**
   * The chunks' vectors, in order. The model is loaded only when some chunk is in neither store.
   *
   * @throws RuntimeException what loading or calling the model throws; nothing is stored then
   */
  List<float[]> vectors(EmbeddingContract contract, List<EmbeddedChunk> chunks) {
    float[][] vectors = new float[chunks.size()][];
    List<Integer> misses = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      byte[] cached = lookup(ChunkEvents.cacheKey(contract, chunks.get(i)));
      if (cached != null) {
        vectors[i] = ChunkEvents.fromBytes(cached);
      } else {
        misses.add(i);
      }
    }
    metrics.cacheHits(chunks.size() - misses.size());
    if (!misses.isEmpty()) {
      List<EmbeddedChunk> missing = misses.stream().map(chunks::get).toList();
      List<float[]> fresh = embed(contract, missing);
      for (int j = 0; j < misses.size(); j++) {
        vectors[misses.get(j)] = fresh.get(j);
        store(ChunkEvents.cacheKey(contract, missing.get(j)), fresh.get(j));
      }
    }
    return List.of(vectors);
  }

  private byte[] lookup(String key) {
    byte[] cached = own.get(key);
    return cached != null ? cached : shared.get(key); // shared: made by another application
  }

  private List<float[]> embed(EmbeddingContract contract, List<EmbeddedChunk> chunks) {
    EmbeddingModel model = models.forContract(contract);
    long started = System.nanoTime();
    List<float[]> fresh =
        model.embedPassages(
            chunks.stream().map(chunk -> ChunkEvents.textToEmbed(contract, chunk, model)).toList());
    metrics.embedded(chunks.size(), System.nanoTime() - started);
    return fresh;
  }

  private void store(String key, float[] vector) {
    byte[] bytes = ChunkEvents.toBytes(vector);
    own.put(key, bytes);
    context.forward(
        new Record<Object, Object>(key, bytes, context.currentSystemTimeMs()),
        IndexerTopology.EMBEDDINGS_SINK);
  }
}
