package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.testing.QueryLoad;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The query API built as {@code agent-brain serve} builds it, over an index the indexer keeps
 * writing to: the short form of {@code make bench-query}, and {@code agent-brain query} against it.
 */
class QueryServiceIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir Path state;

  private IsolatedPipeline pipeline;
  private IndexerService indexer;
  private QueryServer server;

  @BeforeEach
  void start() {
    pipeline = IsolatedPipeline.start("qload", 3);
    indexer = pipeline.indexer(state);
    indexer.start();
    await().atMost(WAIT).until(() -> indexer.state() == KafkaStreams.State.RUNNING);
    server = pipeline.queryServer().listen("127.0.0.1", 0).start();
  }

  @AfterEach
  void stop() {
    if (server != null) server.close();
    if (indexer != null) indexer.close();
    if (pipeline != null) pipeline.close();
  }

  @Test
  @DisplayName(
      "50 clients searching while documents are indexed get every answer, and no 5xx but 503")
  void everyRequestAnsweredWithoutServerErrors() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(60, 7);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents.subList(0, 10));
      IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.postgres) > 0);
      long before = pipeline.count(pipeline.postgres);

      CompletableFuture<Void> growing =
          CompletableFuture.runAsync(() -> publisher.publishAll(documents.subList(10, 60)));
      QueryLoad.Report report =
          new QueryLoad("http://127.0.0.1:" + server.port(), pipeline.index, "")
              .run(50, 300, Duration.ofSeconds(90));
      growing.join();
      System.out.println(report.summary());

      assertThat(report.requests()).isEqualTo(300);
      assertThat(report.unanswered()).as(report.summary()).isEmpty();
      assertThat(report.unexpectedServerErrors()).as(report.summary()).isZero();
      assertThat(report.statuses()).as(report.summary()).containsKey(200);
      // the index really grew under the clients: indexing ran beside them
      IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.postgres) > before);
    }
  }

  @Test
  @DisplayName("agent-brain query asks the API and prints the hits as a table, or the JSON")
  void queryCommandPrintsTheHits() throws Exception {
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(pipeline.documents(3, 11));
    }
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.postgres) > 0);
    String url = "http://127.0.0.1:" + server.port();

    StringWriter table = new StringWriter();
    int found =
        command(table)
            .execute("--url", url, "--index", pipeline.index, "--mode", "hybrid", "kafka broker");
    StringWriter json = new StringWriter();
    command(json).execute("--url", url, "--index", pipeline.index, "--json", "kafka broker");
    StringWriter refused = new StringWriter();
    int bad = command(refused).execute("--url", url, "--index", "no_such_index", "kafka");

    assertThat(found).isZero();
    assertThat(table.toString())
        .contains("results from postgres, hybrid mode")
        .contains("notes/note-");
    assertThat(json.toString()).contains("\"total_results\"").contains("\"chunk_id\"");
    assertThat(bad).isEqualTo(AgentBrain.USAGE);
  }

  private static CommandLine command(StringWriter out) {
    CommandLine cli = new CommandLine(new QueryCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    return cli;
  }
}
