package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.testing.LocalServices;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Chroma sink loses its backend and gets it back, against the real services. The shared Chroma
 * server keeps running: the sink reaches it through a {@link TcpRelay} that the test takes down and
 * brings back.
 */
class SinkOutageIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path state;

  private IsolatedPipeline pipeline;
  private TcpRelay chromaRelay;
  private IndexerService indexer;

  @BeforeEach
  void startThenLoseChroma() throws Exception {
    pipeline = IsolatedPipeline.start("outage", 3);
    chromaRelay = TcpRelay.to(LocalServices.requireChroma());
    chromaRelay.up(); // the indexer checks both backends when it starts
    indexer =
        pipeline.indexer(
            state,
            List.of(pipeline.postgresSink(), IsolatedPipeline.chromaSink(chromaRelay.uri())));
    indexer.start();
    chromaRelay.down();
  }

  @AfterEach
  void stop() throws Exception {
    if (indexer != null) {
      indexer.close();
    }
    if (chromaRelay != null) {
      chromaRelay.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @DisplayName(
      "a sink whose backend is down waits, the other sink carries on, and nothing is lost when it is back")
  void sinkPausesWhileItsBackendIsDownAndCatchesUp() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(20, 5);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);

    IsolatedPipeline.awaitBackends(WAIT)
        .until(() -> pipeline.count(pipeline.postgres) == expected.size());
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    assertThat(pipeline.count(pipeline.chroma)).as("chunks in Chroma while it is away").isZero();
    // lag counts offsets, and each committed indexer transaction adds a marker offset
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(indexer.sinkLag())
                    .as("sink lag during the outage")
                    .isGreaterThanOrEqualTo(expected.size()));

    chromaRelay.up();
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(expected.size()));
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    await().atMost(WAIT).until(() -> indexer.sinkLag() == 0);
    assertThat(pipeline.deadLetters()).as("dead letters").isZero();
  }
}
