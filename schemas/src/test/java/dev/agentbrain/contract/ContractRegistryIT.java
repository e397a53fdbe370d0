package dev.agentbrain.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.testing.LocalServices;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** Contracts and the live-version alias, in the real Apicurio Registry. */
class ContractRegistryIT {

  private ContractRegistry contracts;
  private String index;

  @BeforeEach
  void connect() {
    contracts =
        new ContractRegistry(
            new RegistryClient(LocalServices.requireRegistry()), "it-" + UUID.randomUUID());
    index = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
  }

  @AfterEach
  void forget() {
    contracts.delete(index);
  }

  @Test
  @DisplayName("the first contract of an index is version 1 and becomes live")
  void firstContractIsLive() {
    EmbeddingContract registered = contracts.register(draft(384));

    assertThat(registered.getVersion()).isEqualTo(1);
    assertThat(contracts.live(index)).contains(registered);
    assertThat(contracts.indexes()).contains(index);
  }

  @Test
  @DisplayName("a new contract version is built beside the live one until it is promoted")
  void newVersionIsLiveOnlyAfterPromotion() {
    contracts.register(draft(384));
    EmbeddingContract second = contracts.register(draft(768));

    assertThat(second.getVersion()).isEqualTo(2);
    assertThat(contracts.live(index).orElseThrow().getVersion()).isEqualTo(1);

    contracts.promote(index, 2);

    assertThat(contracts.live(index).orElseThrow().getDimensions()).isEqualTo(768);
    assertThat(contracts.versions(index))
        .extracting(EmbeddingContract::getVersion)
        .containsExactly(1, 2);
  }

  @Test
  @DisplayName(
      "after a promotion the previous live version is the rollback target, with the time it stopped serving")
  void previousVersionIsTheRollbackTarget() {
    contracts.register(draft(384));
    contracts.register(draft(768));
    assertThat(contracts.previous(index)).isEmpty();

    java.time.Instant before = java.time.Instant.now();
    contracts.promote(index, 2);

    ContractRegistry.Switch previous = contracts.previous(index).orElseThrow();
    assertThat(previous.version()).isEqualTo(1);
    assertThat(previous.at()).isAfterOrEqualTo(before);
    contracts.promote(index, previous.version());
    assertThat(contracts.live(index).orElseThrow().getVersion()).isEqualTo(1);
    assertThat(contracts.history(index))
        .extracting(ContractRegistry.Switch::version)
        .containsExactly(1, 2, 1);
  }

  @Test
  @DisplayName("promoting a version that does not exist is refused")
  void promotingUnknownVersionFails() {
    contracts.register(draft(384));

    assertThatThrownBy(() -> contracts.promote(index, 7))
        .hasMessageContaining("no contract version 7");
  }

  @Test
  @DisplayName("an index without contracts has no live version, and deleting it forgets it")
  void deletedIndexIsForgotten() {
    contracts.register(draft(384));
    contracts.delete(index);

    assertThat(contracts.live(index)).isEmpty();
    assertThat(contracts.indexes()).doesNotContain(index);
  }

  private EmbeddingContract draft(int dimensions) {
    return EmbeddingContract.newBuilder()
        .setIndex(index)
        .setVersion(0)
        .setProvider("onnx")
        .setModel("bge-small-en-v1.5-q")
        .setDimensions(dimensions)
        .setMetric(DistanceMetric.COSINE)
        .setChunkMaxTokens(400)
        .setChunkOverlapTokens(50)
        .build();
  }
}
