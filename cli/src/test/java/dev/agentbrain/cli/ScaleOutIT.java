package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two indexer instances of one application share the partitions, against the real services. */
class ScaleOutIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path firstState;
  @TempDir Path secondState;

  private IsolatedPipeline pipeline;
  private IndexerService first;
  private IndexerService second;

  @BeforeEach
  void startTwoInstances() {
    pipeline = IsolatedPipeline.start("scale", 6);
    first = pipeline.indexer(firstState);
    second = pipeline.indexer(secondState);
    first.start();
    second.start();
  }

  @AfterEach
  void stop() {
    if (second != null) {
      second.close();
    }
    if (first != null) {
      first.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @DisplayName(
      "two instances split the partitions and leave both backends exactly as one instance would")
  void twoInstancesSplitTheWorkAndAgreeWithOne() {
    // both members in the group and settled, so that the documents are spread over the two
    await()
        .atMost(WAIT)
        .during(Duration.ofSeconds(2))
        .until(
            () ->
                first.state() == KafkaStreams.State.RUNNING
                    && second.state() == KafkaStreams.State.RUNNING);
    List<DocumentEvent> documents = pipeline.documents(40, 4);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);

    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(expected.size()));
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    assertThat(first.metrics().chunksEmitted()).as("chunks embedded by the first").isPositive();
    assertThat(second.metrics().chunksEmitted()).as("chunks embedded by the second").isPositive();
  }
}
