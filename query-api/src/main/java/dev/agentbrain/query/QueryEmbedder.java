package dev.agentbrain.query;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.LoadedModels;
import dev.agentbrain.events.EmbeddingContract;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Embeds queries with the model an index's contract names, loading each model once, and keeps the
 * most recent query vectors so a repeated query is not embedded again.
 */
final class QueryEmbedder implements AutoCloseable {

  private static final int CACHED_QUERIES = 2048;

  private final LoadedModels models;
  private final Map<String, float[]> recent =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, float[]> eldest) {
          return size() > CACHED_QUERIES;
        }
      };

  QueryEmbedder(int threads) {
    this.models = new LoadedModels(threads);
  }

  /** Loads the contract's model now, and fails when it cannot make the contract's vectors. */
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

  float[] embed(EmbeddingContract contract, String query) {
    String key = contract.getModel() + "|" + query;
    synchronized (recent) {
      float[] cached = recent.get(key);
      if (cached != null) {
        return cached;
      }
    }
    float[] vector = models.get(contract.getModel()).embedQuery(query);
    synchronized (recent) {
      recent.put(key, vector);
    }
    return vector;
  }

  @Override
  public void close() {
    models.close();
  }
}
