package dev.agentbrain.indexer.contract;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the indexer checks before it starts: for every index's live contract, that the configured
 * provider can make its vectors and that every backend's stored index (pgvector column type, Chroma
 * collection metadata) matches it. Any mismatch stops the start, naming both values; a backend that
 * cannot be reached does not (its sink waits for it).
 */
public final class StartupCheck {

  private static final Logger LOG = LoggerFactory.getLogger(StartupCheck.class);

  private StartupCheck() {}

  /**
   * @throws IllegalStateException listing every problem found, with what to do about it
   */
  public static void verify(
      ContractRegistry registry, ModelPool models, List<ChunkWriter> backends) {
    List<String> problems = new ArrayList<>();
    for (String index : registry.indexes()) {
      EmbeddingContract contract = registry.live(index).orElse(null);
      if (contract == null) {
        continue;
      }
      try {
        models.forContract(contract);
      } catch (ContractViolation | IllegalArgumentException e) {
        problems.add(e.getMessage());
        continue;
      }
      for (ChunkWriter backend : backends) {
        try {
          backend.ensureIndex(ChunkWrites.spec(contract));
        } catch (StorageUnavailableException e) {
          // a backend that is away (a shadow being repaired, say) must not stop the others: its
          // sink creates or checks the index when it is back, and pauses until then
          LOG.warn(
              "{} is not reachable; its sink will check index {} when it is back: {}",
              backend.getClass().getSimpleName(),
              ChunkWrites.spec(contract).physicalName(),
              e.getMessage());
        } catch (ContractMismatchException e) {
          problems.add(
              e.getMessage()
                  + " — the stored index was built for another contract; build a new version with"
                  + " `agent-brain reindex --index "
                  + index
                  + "`, or rebuild this one with `agent-brain reindex --index "
                  + index
                  + " --force-reindex`");
        }
      }
    }
    if (!problems.isEmpty()) {
      throw new IllegalStateException(
          "the indexer refuses to start: " + String.join("; ", problems));
    }
  }
}
