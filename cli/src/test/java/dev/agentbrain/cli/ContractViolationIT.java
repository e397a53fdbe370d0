package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch whose vectors break its index's contract, through the real broker, registry and both
 * backends: it lands in the dead-letter topic and in no backend, and the stream keeps going.
 */
class ContractViolationIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path state;

  private IsolatedPipeline pipeline;
  private IndexerService indexer;
  private String wide;

  @BeforeEach
  void start() {
    pipeline = IsolatedPipeline.start("contract", 1);
    indexer = pipeline.indexer(state);
    indexer.start();
    // registered after the start-up check: a contract the model cannot satisfy (768 != 384)
    wide = pipeline.index + "_wide";
    EmbeddingContract draft =
        IndexContracts.draft(wide, IsolatedPipeline.FAST_MODEL, "english", 100, 10, null);
    pipeline
        .wiring
        .contracts()
        .register(EmbeddingContract.newBuilder(draft).setDimensions(768).build());
  }

  @AfterEach
  void stop() {
    if (indexer != null) {
      indexer.close();
    }
    if (wide != null) {
      pipeline.wiring.contracts().delete(wide);
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @DisplayName("a wrong-dimension batch goes to the dead-letter topic and reaches no backend")
  void wrongDimensionsAreDeadLettered() throws Exception {
    DocumentEvent valid = pipeline.documents(1, 7).get(0);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher
          .publish(
              document(
                  wide, "wide-1", "a document for an index whose contract the model cannot meet"))
          .join();
      publisher.publish(valid).join();
    }

    IsolatedPipeline.awaitBackends(WAIT)
        .untilAsserted(
            () -> {
              assertThat(deadLetters())
                  .anySatisfy(
                      letter -> {
                        assertThat(letter.getStage()).isEqualTo("contract");
                        assertThat(letter.getReason()).contains("768").contains("384");
                      });
              assertThat(pipeline.count(pipeline.postgres)).isPositive();
              assertThat(pipeline.count(pipeline.chroma)).isPositive();
            });
    String widePhysical = ContractRegistry.physicalName(wide, 1);
    assertThatThrownBy(() -> pipeline.postgres.count(widePhysical, Filter.ALL))
        .isInstanceOf(NoSuchIndexException.class);
    assertThatThrownBy(() -> pipeline.chroma.count(widePhysical, Filter.ALL))
        .isInstanceOf(NoSuchIndexException.class);
  }

  private List<DeadLetter> deadLetters() {
    return TopicContents.read(
        pipeline.wiring.bootstrap(), pipeline.wiring.topics().deadLetters(), TopicContents.ALL);
  }

  private static DocumentEvent document(String index, String id, String content) {
    return DocumentEvent.newBuilder()
        .setId(id)
        .setIndex(index)
        .setSource(id + ".md")
        .setLanguage("markdown")
        .setContent(content)
        .setContentHash(ContentHash.sha256(content))
        .setVersion(1)
        .setPublishedAt(Instant.now())
        .build();
  }
}
