package dev.agentbrain.indexer;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.LoadedModels;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.contract.ContractCheck;

/**
 * The embedding models that the contracts in use name, each loaded once and shared. A model that
 * cannot satisfy its contract (other dimensions, not normalised) is refused.
 */
public final class ModelPool implements AutoCloseable {

  private final LoadedModels models;

  /**
   * @param threads concurrent embedding calls per model (one per core is fastest)
   */
  public ModelPool(int threads) {
    this.models = new LoadedModels(threads);
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
    return models.get(name);
  }

  @Override
  public void close() {
    models.close();
  }
}
