package dev.agentbrain.indexer;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.contract.ContractCheck;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedding models that the contracts in use name, each loaded once and shared. A model that
 * cannot satisfy its contract (other dimensions, not normalised) is refused.
 */
public final class ModelPool implements AutoCloseable {

  private final int threads;
  private final ConcurrentHashMap<String, EmbeddingModel> models = new ConcurrentHashMap<>();

  /**
   * @param threads concurrent embedding calls per model (one per core is fastest)
   */
  public ModelPool(int threads) {
    this.threads = threads;
  }

  /** The model for a contract, loading it on first use; refused when it breaks the contract. */
  public EmbeddingModel forContract(EmbeddingContract contract) {
    EmbeddingModel model = model(contract.getModel());
    ContractCheck.verifyDimensions(
        contract, model.info().dimensions(), "model " + contract.getModel());
    return model;
  }

  /** The named model, loaded on first use, without any contract check (e.g. for its tokenizer). */
  public EmbeddingModel model(String name) {
    return models.computeIfAbsent(name, n -> EmbeddingModels.create(n, threads));
  }

  @Override
  public void close() {
    models.values().forEach(EmbeddingModel::close);
    models.clear();
  }
}
