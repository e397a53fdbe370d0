package dev.agentbrain.indexer.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import java.net.URI;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The indexer's start-up check against the real registry and PostgreSQL. */
class StartupCheckIT {

  private ContractRegistry contracts;
  private PostgresStore postgres;
  private ModelPool models;
  private String index;
  private String physical;

  @BeforeEach
  void connect() {
    LocalServices.Postgres pg = LocalServices.requirePostgres();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 10);
    contracts =
        new ContractRegistry(new RegistryClient(LocalServices.requireRegistry()), "startup-" + run);
    postgres = new PostgresStore(PostgresConfig.of(pg.jdbcUrl(), pg.user(), pg.password()));
    models = new ModelPool(1);
    index = "startup_" + run;
    physical = ContractRegistry.physicalName(index, 1);
  }

  @AfterEach
  void cleanUp() {
    postgres.dropIndex(physical);
    postgres.close();
    contracts.delete(index);
    models.close();
  }

  @Test
  @DisplayName("a backend index built for other dimensions stops the start, naming both values")
  void mismatchedBackendStopsTheStart() {
    contracts.register(contract("all-minilm-l6-v2-q"));
    postgres.ensureIndex(new IndexSpec(physical, 8, "all-minilm-l6-v2-q", "english"));

    assertThatThrownBy(() -> StartupCheck.verify(contracts, models, List.of(postgres)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("refuses to start")
        .hasMessageContaining("8")
        .hasMessageContaining("384");
  }

  @Test
  @DisplayName("a contract naming a model the indexer does not have stops the start")
  void unknownModelStopsTheStart() {
    contracts.register(contract("no-such-model"));

    assertThatThrownBy(() -> StartupCheck.verify(contracts, models, List.of(postgres)))
        .hasMessageContaining("unknown embedding model 'no-such-model'");
  }

  @Test
  @DisplayName("matching contracts pass, and their backend indexes exist afterwards")
  void matchingContractsPass() {
    contracts.register(contract("all-minilm-l6-v2-q"));

    assertThatCode(() -> StartupCheck.verify(contracts, models, List.of(postgres)))
        .doesNotThrowAnyException();
    assertThat(postgres.count(physical, dev.agentbrain.storage.Filter.ALL)).isZero();
  }

  @Test
  @DisplayName("a backend that cannot be reached does not stop the start (its sink waits for it)")
  void unreachableBackendDoesNotStopTheStart() throws Exception {
    contracts.register(contract("all-minilm-l6-v2-q"));
    int closedPort;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      closedPort = probe.getLocalPort();
    }
    try (ChromaStore away =
        new ChromaStore(ChromaConfig.of(URI.create("http://127.0.0.1:" + closedPort)))) {
      assertThatCode(() -> StartupCheck.verify(contracts, models, List.of(postgres, away)))
          .doesNotThrowAnyException();
    }
    assertThat(postgres.count(physical, dev.agentbrain.storage.Filter.ALL))
        .as("the reachable backend was still checked and prepared")
        .isZero();
  }

  private EmbeddingContract contract(String model) {
    return EmbeddingContract.newBuilder()
        .setIndex(index)
        .setVersion(0)
        .setProvider("onnx")
        .setModel(model)
        .setDimensions(384)
        .setMetric(DistanceMetric.COSINE)
        .setTextSearchLanguage("english")
        .setChunkMaxTokens(100)
        .setChunkOverlapTokens(10)
        .build();
  }
}
