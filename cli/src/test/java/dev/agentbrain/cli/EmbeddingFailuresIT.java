package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.cli.IsolatedPipeline.ExpectedChunk;
import dev.agentbrain.cli.WordHashEmbeddingServer.Fault;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * An HTTP embedding provider (a local fake of OpenAI's API) failing under the real pipeline:
 * transient failures only delay indexing, a provider answering with the wrong dimensions has its
 * chunks dead-lettered, and {@code agent-brain dlq retry} re-drives them once it is fixed. Both
 * backends are compared chunk by chunk with what a correct run makes of the same documents.
 */
class EmbeddingFailuresIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path state;

  /** What the command printed and returned. */
  private record Run(int exitCode, String out) {}

  @Test
  @DisplayName(
      "500s, 429s with Retry-After and timeouts refuse nothing; wrong dimensions are dead-lettered"
          + " and `dlq retry` re-drives them once the provider is fixed, skipping a newer version")
  void transientFailuresWaitAndDeadLettersAreReDriven() throws Exception {
    try (WordHashEmbeddingServer provider = WordHashEmbeddingServer.start();
        IsolatedPipeline pipeline =
            IsolatedPipeline.start("embedfail", 1, WordHashEmbeddingServer.MODEL)) {
      List<DocumentEvent> all = pipeline.documents(9, 11);
      List<DocumentEvent> healthy = all.subList(0, 6);
      List<DocumentEvent> broken = all.subList(6, 9);
      DocumentEvent edited = edit(broken.get(2));
      List<DocumentEvent> finalDocuments = new ArrayList<>(all.subList(0, 8));
      finalDocuments.add(edited);
      Map<String, ExpectedChunk> expectedHealthy = pipeline.expectedChunks(healthy);
      int brokenChunks = pipeline.expectedChunks(broken).size();
      Map<String, ExpectedChunk> expectedFinal = pipeline.expectedChunks(finalDocuments);

      try (IndexerService indexer = pipeline.indexer(state);
          DocumentPublisher publisher = pipeline.publisher()) {
        indexer.start();
        // the client tries twice (MAX_RETRIES=1 in the failsafe configuration), so each pair
        // fails one attempt of the indexer's
        provider.failNext(
            status(500, Map.of()),
            status(500, Map.of()),
            status(429, Map.of("Retry-After", "2")),
            status(429, Map.of("Retry-After", "2")),
            new Fault.Hang(),
            new Fault.Hang());
        publish(publisher, healthy);
        IsolatedPipeline.awaitBackends(WAIT)
            .until(
                () -> provider.scriptDone() && pipeline.bothBackendsCount(expectedHealthy.size()));
        pipeline.assertHoldsExactly(pipeline.postgres, expectedHealthy);
        pipeline.assertHoldsExactly(pipeline.chroma, expectedHealthy);
        assertThat(deadLetters(pipeline)).as("dead letters after transient failures").isEmpty();
        assertRetryAfterHonoured(provider.answered());

        provider.dimensions(8);
        publish(publisher, broken);
        IsolatedPipeline.awaitBackends(WAIT)
            .untilAsserted(() -> assertThat(deadLetters(pipeline)).hasSize(brokenChunks));
        assertThat(deadLetters(pipeline))
            .allSatisfy(
                letter -> {
                  assertThat(letter.getStage()).isEqualTo("embed");
                  assertThat(letter.getReason()).contains("8-dimensional").contains("64");
                });
        pipeline.assertHoldsExactly(pipeline.postgres, expectedHealthy);
        pipeline.assertHoldsExactly(pipeline.chroma, expectedHealthy);

        provider.dimensions(WordHashEmbeddingServer.DIMENSIONS);
        publish(publisher, List.of(edited));
        Map<String, ExpectedChunk> beforeRetry = new LinkedHashMap<>(expectedHealthy);
        beforeRetry.putAll(pipeline.expectedChunks(List.of(edited)));
        IsolatedPipeline.awaitBackends(WAIT)
            .until(() -> pipeline.bothBackendsCount(beforeRetry.size()));

        int editedLetters =
            (int)
                deadLetters(pipeline).stream()
                    .filter(
                        letter ->
                            new String(
                                    DeadLetterRetry.bytes(letter.getKey()), StandardCharsets.UTF_8)
                                .equals(edited.getId()))
                    .count();
        Run retry = dlq(pipeline, "retry", "--all");
        assertThat(retry.exitCode()).as(retry.out()).isZero();
        assertThat(retry.out())
            .contains(
                (brokenChunks - editedLetters)
                    + " sent (2 documents re-driven), "
                    + editedLetters
                    + " skipped (a newer version of the document exists: "
                    + editedLetters
                    + "), 0 failed");
        IsolatedPipeline.awaitBackends(WAIT)
            .until(() -> pipeline.bothBackendsCount(expectedFinal.size()));
        pipeline.assertHoldsExactly(pipeline.postgres, expectedFinal);
        pipeline.assertHoldsExactly(pipeline.chroma, expectedFinal);
        assertThat(deadLetters(pipeline)).as("no new dead letter").hasSize(brokenChunks);

        Run again = dlq(pipeline, "retry", "--stage", "embed");
        assertThat(again.out())
            .contains("0 sent (0 documents re-driven), " + brokenChunks + " skipped")
            .contains("already re-driven: " + (brokenChunks - editedLetters));
        Run show = dlq(pipeline, "show", "0");
        assertThat(show.exitCode()).isZero();
        assertThat(show.out()).contains("stage:     embed").contains("retry:     skipped");
      }
    }
  }

  /** After each 429 with Retry-After: 2, the provider heard nothing for two seconds. */
  private static void assertRetryAfterHonoured(List<WordHashEmbeddingServer.Answered> answered) {
    int rateLimited = 0;
    for (int i = 0; i + 1 < answered.size(); i++) {
      if (answered.get(i).status() == 429) {
        rateLimited++;
        assertThat(Duration.between(answered.get(i).at(), answered.get(i + 1).at()))
            .as("pause after the 429 answered as request %d", i)
            .isGreaterThanOrEqualTo(Duration.ofMillis(1_950));
      }
    }
    assertThat(rateLimited).isEqualTo(2);
  }

  private static Fault status(int code, Map<String, String> headers) {
    return new Fault.Status(code, headers, "{\"error\":{\"message\":\"scripted " + code + "\"}}");
  }

  private static DocumentEvent edit(DocumentEvent document) {
    String content = document.getContent() + "\n\nAn edit made while the provider was broken.\n";
    return DocumentEvent.newBuilder(document)
        .setContent(content)
        .setContentHash(ContentHash.sha256(content))
        .setVersion(document.getVersion() + 1)
        .build();
  }

  private static void publish(DocumentPublisher publisher, List<DocumentEvent> documents) {
    documents.forEach(document -> publisher.publish(document).join());
  }

  private static List<DeadLetter> deadLetters(IsolatedPipeline pipeline) {
    return TopicContents.read(
        pipeline.wiring.bootstrap(), pipeline.wiring.topics().deadLetters(), TopicContents.ALL);
  }

  private static Run dlq(IsolatedPipeline pipeline, String... args) {
    DlqCommand command = new DlqCommand();
    command.wiring = () -> pipeline.wiring;
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString());
  }
}
