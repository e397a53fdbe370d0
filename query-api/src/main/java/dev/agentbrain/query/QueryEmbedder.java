package dev.agentbrain.query;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.LoadedModels;
import dev.agentbrain.events.EmbeddingContract;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Embeds queries with the model an index's contract names, loading each model once, and keeps the
 * most recent query vectors (a bounded LRU) so a repeated query is not embedded again. Thread-safe.
 */
final class QueryEmbedder implements AutoCloseable {

  private final LoadedModels models;
  private final int capacity;
  private final AtomicLong hits = new AtomicLong();
  private final AtomicLong misses = new AtomicLong();
  private final Map<String, float[]> recent;

  /**
   * @param threads concurrent embedding calls per model
   * @param capacity query vectors kept, at least 1
   */
  QueryEmbedder(int threads, int capacity) {
    this.models = new LoadedModels(threads);
    this.capacity = capacity;
    this.recent =
        new LinkedHashMap<>(256, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
            return size() > QueryEmbedder.this.capacity;
          }
        };
  }

  /**
   * Loads the contract's model now, and fails when it cannot make the contract's vectors.
   *
   * @throws IllegalStateException saying what differs, when the dimensions differ
   * @throws RuntimeException whatever loading the model threw
   */
  void prepare(EmbeddingContract contract) {
    EmbeddingModel model = models.get(contract.getModel());
    if (model.info().dimensions() != contract.getDimensions()) {
      throw new IllegalStateException(
          "index "
              + contract.getIndex()
              + " expects "
              + contract.getDimensions()
              + " dimensions but model "
              + contract.getModel()
              + " makes "
              + model.info().dimensions());
    }
  }

  /**
   * The query's vector by the contract's model: with the model's query instruction when {@code
   * instructed} ({@link SearchMode#instructedQuery}), else embedded as a passage.
   */
  float[] embed(EmbeddingContract contract, String query, boolean instructed) {
    String key = (instructed ? "query|" : "passage|") + contract.getModel() + "|" + query;
    synchronized (recent) {
      float[] cached = recent.get(key);
      if (cached != null) {
        hits.incrementAndGet();
        return cached;
      }
    }
    misses.incrementAndGet();
    EmbeddingModel model = models.get(contract.getModel());
    float[] vector =
        instructed ? model.embedQuery(query) : model.embedPassages(List.of(query)).getFirst();
    synchronized (recent) {
      recent.put(key, vector);
    }
    return vector;
  }

  /** Queries answered from the cache since start. */
  long hits() {
    return hits.get();
  }

  /** Queries embedded since start. */
  long misses() {
    return misses.get();
  }

  int size() {
    synchronized (recent) {
      return recent.size();
    }
  }

  @Override
  public void close() {
    models.close();
  }
}
