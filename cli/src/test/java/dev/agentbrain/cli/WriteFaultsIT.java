package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Setting;
import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.testing.PrivateChroma;
import dev.agentbrain.testing.PrivateKafka;
import dev.agentbrain.testing.PrivatePostgres;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A service restarted while the pipeline writes (issue 11): the broker killed with SIGKILL,
 * PostgreSQL crashed ({@code pg_ctl stop -m immediate}), Chroma stopped, each a private instance of
 * the test's own, restarted a few seconds later on the same data. Afterwards both backends must
 * hold exactly the chunks a clean run of the same documents holds, and nothing is dead-lettered.
 */
class WriteFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final Duration DOWN = Duration.ofSeconds(4);

  @TempDir Path state;
  @TempDir Path service;

  private final List<AutoCloseable> opened = new ArrayList<>();
  private IsolatedPipeline pipeline;
  private IndexerService indexer;

  @AfterEach
  void stop() throws Exception {
    if (indexer != null) {
      indexer.close();
    }
    if (pipeline != null) {
      pipeline.close(); // drops the index while the private services still run
    }
    for (AutoCloseable each : opened.reversed()) {
      each.close();
    }
  }

  @Test
  @DisplayName("the broker killed with SIGKILL during writes and restarted: both backends exact")
  void brokerKilledDuringWrites() throws Exception {
    PrivateKafka kafka = open(PrivateKafka.start(service));
    start("brokerfault", Map.of(Settings.KAFKA_BOOTSTRAP, kafka.bootstrap()));
    List<DocumentEvent> documents = pipeline.documents(90, 31);
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    awaitWritesUnderWay(pipeline.postgres, expected.size());
    Instant down = Instant.now();
    kafka.kill();
    Thread.sleep(DOWN.toMillis());
    kafka.start();
    System.out.printf("broker back after %s%n", Duration.between(down, Instant.now()));

    assertConverged(expected);
  }

  @Test
  @DisplayName("PostgreSQL crashed during writes and restarted: both backends exact")
  void postgresCrashedDuringWrites() throws Exception {
    PrivatePostgres postgres = open(PrivatePostgres.startNew());
    start("pgfault", Map.of(Settings.PG_URL, postgres.jdbcUrl()));
    List<DocumentEvent> documents = pipeline.documents(90, 32);
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents.subList(0, 60));
      awaitWritesUnderWay(pipeline.postgres, expected.size());
      postgres.crash();
      publisher.publishAll(documents.subList(60, documents.size())); // more, while it is down
    }
    Thread.sleep(DOWN.toMillis());
    postgres.start();

    assertConverged(expected);
  }

  @Test
  @DisplayName("Chroma stopped during writes and restarted: both backends exact")
  void chromaRestartedDuringWrites() throws Exception {
    PrivateChroma chroma = open(PrivateChroma.start(service));
    start("chromafault", Map.of(Settings.CHROMA_URL, chroma.url().toString()));
    List<DocumentEvent> documents = pipeline.documents(90, 33);
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents.subList(0, 60));
      awaitWritesUnderWay(pipeline.chroma, expected.size());
      chroma.stop();
      publisher.publishAll(documents.subList(60, documents.size())); // more, while it is down
    }
    Thread.sleep(DOWN.toMillis());
    chroma.start();

    assertConverged(expected);
  }

  private <T extends AutoCloseable> T open(T service) {
    opened.add(service);
    return service;
  }

  /** A pipeline on the given private service (the rest shared), with its indexer running. */
  private void start(String name, Map<Setting<?>, String> privateService) {
    pipeline = IsolatedPipeline.start(name, 3, privateService);
    indexer = pipeline.indexer(state);
    indexer.start();
  }

  /**
   * Waits until {@code backend} holds some of the {@code total} chunks, and checks it does not yet
   * hold them all: the fault must come while the sinks write.
   */
  private void awaitWritesUnderWay(Retriever backend, int total) {
    IsolatedPipeline.awaitBackends(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .until(() -> pipeline.count(backend) > 0);
    long held = pipeline.count(backend);
    System.out.printf(
        "%s held %d of %d chunks when the fault came%n",
        backend.getClass().getSimpleName(), held, total);
    assertThat(held).as("chunks written before the fault").isLessThan(total);
  }

  private void assertConverged(Map<String, IsolatedPipeline.ExpectedChunk> expected)
      throws Exception {
    Instant back = Instant.now();
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(expected.size()));
    System.out.printf(
        "%d chunks in both backends %s after the restart%n",
        expected.size(), Duration.between(back, Instant.now()));
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    assertThat(pipeline.deadLetters()).as("dead letters").isZero();
  }
}
