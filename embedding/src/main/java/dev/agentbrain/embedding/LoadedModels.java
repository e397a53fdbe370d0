package dev.agentbrain.embedding;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Embedding models by name, each loaded once on first use and shared by every caller. Thread-safe;
 * closing it closes every model it loaded.
 */
public final class LoadedModels implements AutoCloseable {

  private final int threads;
  private final ConcurrentHashMap<String, EmbeddingModel> models = new ConcurrentHashMap<>();

  /**
   * @param threads concurrent embedding calls per model (one per core is fastest)
   */
  public LoadedModels(int threads) {
    this.threads = threads;
  }

  /** The named model, loaded on first use (see {@link EmbeddingModels#create(String, int)}). */
  public EmbeddingModel get(String name) {
    return models.computeIfAbsent(name, n -> EmbeddingModels.create(n, threads));
  }

  @Override
  public void close() {
    models.values().forEach(EmbeddingModel::close);
    models.clear();
  }
}
