package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.cli.lifecycle.Migration;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Moving an index from Chroma to PostgreSQL by replay, against the real local services: the
 * migration's sink is the only writer of PostgreSQL, and the comparison finds the same chunks, text
 * and vectors on both sides.
 */
class MigrationIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path liveState;
  @TempDir Path migrationState;

  @Test
  @DisplayName(
      "an index written to Chroma only is replayed into PostgreSQL from the embedding cache, and"
          + " the comparison finds both identical")
  void chromaToPostgres() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("migrate", 2);
        DocumentPublisher publisher = pipeline.publisher()) {
      Wiring wiring = pipeline.wiring;
      IndexerService live =
          pipeline.indexer(
              liveState,
              List.of(IsolatedPipeline.chromaSink(wiring.settings.get(Settings.CHROMA_URL))));
      try {
        live.start();
        List<DocumentEvent> documents = pipeline.documents(20, 11);
        documents.forEach(publisher::publish);
        publisher.flush();
        int chunks = pipeline.expectedChunks(documents).size();
        IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.chroma) == chunks);
        assertThat(pipeline.count(pipeline.postgres)).isZero();

        try (Migration migration =
                Migration.start(
                    wiring,
                    pipeline.contract,
                    Backend.POSTGRES,
                    new IndexerService.Options(
                        wiring.bootstrap(),
                        migrationState,
                        2,
                        IsolatedPipeline.TEST_BATCHES,
                        1_000_000));
            Admin admin = wiring.admin()) {
          IsolatedPipeline.awaitBackends(WAIT)
              .until(
                  () -> migration.caughtUp(admin) && pipeline.count(pipeline.postgres) == chunks);

          ReconciliationResult result = migration.compare(Backend.CHROMA, 1e-6, WAIT);

          assertThat(result.differences()).isEmpty();
          assertThat(result.identical()).isTrue();
          assertThat(result.documents()).isEqualTo(documents.size());
          assertThat(result.chunks()).isEqualTo(chunks);
          assertThat(migration.service().metrics().cacheHits())
              .as("vectors from the shared embedding cache")
              .isEqualTo(migration.service().metrics().chunksEmitted());
        }
      } finally {
        live.close();
      }
    }
  }
}
