package dev.agentbrain.bench.indexing;

import dev.agentbrain.cli.IndexContracts;
import dev.agentbrain.cli.Wiring;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What one benchmark run works in: a fresh topic prefix, a logical index registered for {@code
 * model}, and a state folder. Closing it removes the index from both backends and the registry, the
 * run's topics and consumer groups, and the folder.
 *
 * @param wiring the settings of this process, with the run's own topic prefix
 */
record BenchIndex(Wiring wiring, String model, String index, EmbeddingContract contract, Path state)
    implements AutoCloseable {

  /**
   * @param name prefix of the topics ({@code name-<run>}) and the index ({@code name_<run>})
   * @param model embedding model, or null for {@code AGENT_BRAIN_EMBEDDING_MODEL}
   */
  static BenchIndex create(String name, String model) throws IOException {
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(Settings.TOPIC_PREFIX.env(), name + "-" + run);
    Wiring wiring = new Wiring(Settings.of(env));
    String chosen = model != null ? model : wiring.settings().get(Settings.EMBEDDING_MODEL);
    String index = name + "_" + run;
    EmbeddingContract contract =
        wiring
            .contracts()
            .register(IndexContracts.draft(index, chosen, "english", null, null, null));
    Path state = Files.createDirectories(wiring.home().resolve(name + "-" + run));
    return new BenchIndex(wiring, chosen, index, contract, state);
  }

  /** The index's name in the backends. */
  String physical() {
    return ContractRegistry.physicalName(index, contract.getVersion());
  }

  @Override
  public void close() throws Exception {
    try (PostgresStore postgres = wiring.postgres(1);
        ChromaStore chroma = wiring.chroma()) {
      postgres.dropIndex(physical());
      chroma.dropIndex(physical());
    }
    wiring.contracts().delete(index);
    IndexingBenchmark.removeKafkaState(wiring);
    IndexingBenchmark.deleteRecursively(state);
  }
}
