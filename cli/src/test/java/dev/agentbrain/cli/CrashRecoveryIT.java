package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Settings;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An indexer process killed with SIGKILL while it embeds and writes, then started again on the same
 * state directory, against the real services. The process is the real {@code agent-brain indexer}
 * command in a child JVM: only a separate process can die without closing anything.
 */
class CrashRecoveryIT {

  // the restarted instance waits for the killed one's group memberships to expire (45 s sessions)
  private static final Duration WAIT = Duration.ofMinutes(4);

  @TempDir Path home;
  @TempDir Path survivorState;

  private IsolatedPipeline pipeline;
  private IndexerService survivor;
  private Process indexer;

  @BeforeEach
  void createPipeline() {
    pipeline = IsolatedPipeline.start("crash", 3);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (indexer != null) {
      indexer.destroy();
      if (!indexer.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
        indexer.destroyForcibly();
      }
    }
    if (survivor != null) {
      survivor.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @DisplayName(
      "an indexer killed mid-batch and restarted leaves exactly the expected chunks, each emitted once")
  void killedIndexerRecoversWithoutGapsOrDuplicates() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(150, 11);
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }

    indexer = startIndexer();
    IsolatedPipeline.awaitBackends(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .failFast(this::requireIndexerAlive)
        .until(() -> pipeline.count(pipeline.postgres) > 0);
    long written = pipeline.count(pipeline.postgres);
    indexer.destroyForcibly().waitFor();
    assertThat(written).as("chunks written before the kill").isLessThan(expected.size());

    // started only now: had it run alongside, it could have embedded every document before the
    // child process was up, leaving the child nothing to be killed in the middle of
    survivor =
        pipeline.indexer(
            survivorState,
            List.of(
                IsolatedPipeline.chromaSink(pipeline.wiring.settings.get(Settings.CHROMA_URL))));
    survivor.start();

    indexer = startIndexer();
    IsolatedPipeline.awaitBackends(WAIT)
        .failFast(this::requireIndexerAlive)
        .untilAsserted(
            () ->
                assertThat(pipeline.counts())
                    .as(() -> "chunks per backend; the indexer's log ends:\n" + logTail())
                    .isEqualTo(new IsolatedPipeline.Counts(expected.size(), expected.size())));
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    assertThat(committedUpsertsPerChunk())
        .as("committed chunk events per chunk id")
        .isEqualTo(expected.keySet().stream().collect(Collectors.toMap(id -> id, id -> 1L)));
  }

  /** {@code agent-brain indexer} in a child JVM with this pipeline's settings and {@link #home}. */
  private Process startIndexer() throws IOException {
    ProcessBuilder builder =
        new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            System.getProperty("java.class.path"),
            AgentBrain.class.getName(),
            "indexer");
    builder.environment().putAll(pipeline.env);
    builder.environment().put(Settings.HOME.env(), home.toString());
    builder.environment().put(Settings.EMBEDDING_THREADS.env(), "2");
    builder.environment().put(Settings.SINKS.env(), "postgres");
    // another indexer (make run) may hold the default metrics port
    builder.environment().put(Settings.INDEXER_METRICS_PORT.env(), "0");
    builder.redirectErrorStream(true);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("indexer.log").toFile()));
    return builder.start();
  }

  private void requireIndexerAlive() {
    assertThat(indexer.isAlive())
        .as("the indexer is running; its log ends:%n%s", logTail())
        .isTrue();
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(home.resolve("indexer.log"));
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    } catch (IOException e) {
      return "(no log: " + e.getMessage() + ")";
    }
  }

  /** Upserts per chunk id in the chunks topic, as a sink reads it (committed transactions only). */
  private Map<String, Long> committedUpsertsPerChunk() {
    return TopicContents.read(
            pipeline.wiring.bootstrap(), pipeline.wiring.topics().chunks(), TopicContents.ALL)
        .stream()
        .filter(chunk -> chunk.getOperation() == ChunkOperation.UPSERT)
        .collect(Collectors.groupingBy(EmbeddedChunk::getChunkId, Collectors.counting()));
  }
}
