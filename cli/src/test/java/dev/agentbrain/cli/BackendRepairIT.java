package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.cli.IsolatedPipeline.ExpectedChunk;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.chroma.ChromaClient;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.testing.LocalServices;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agent-brain shadow reconcile --repair}: chunks removed and altered in one backend behind
 * the pipeline's back are written again from the log into that backend alone, and both backends
 * then hold exactly what the indexer makes of the documents.
 */
class BackendRepairIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path state;

  @Test
  @DisplayName(
      "documents damaged in Chroma behind the pipeline's back are written again there from the"
          + " log, and nothing else")
  void repairRestoresExactlyTheDamagedDocuments() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("repair", 1);
        IndexerService indexer = pipeline.indexer(state);
        DocumentPublisher publisher = pipeline.publisher()) {
      indexer.start();
      List<DocumentEvent> documents = pipeline.documents(10, 41);
      Map<String, ExpectedChunk> expected = pipeline.expectedChunks(documents);
      documents.forEach(document -> publisher.publish(document).join());
      IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(expected.size()));

      // a whole document, one chunk of a second and the text of a third go behind the pipeline's
      // back
      List<String> multiChunk = new ArrayList<>();
      expected.keySet().stream()
          .filter(id -> id.endsWith("#1"))
          .forEach(id -> multiChunk.add(id.substring(0, id.indexOf('#'))));
      assertThat(multiChunk).as("documents with two chunks or more").hasSizeGreaterThan(2);
      String gone = multiChunk.get(0);
      String partial = multiChunk.get(1);
      String altered = multiChunk.get(2);
      List<String> removed = new ArrayList<>(List.of(partial + "#1"));
      expected.keySet().stream().filter(id -> id.startsWith(gone + "#")).forEach(removed::add);
      try (ChromaClient client = new ChromaClient(ChromaConfig.of(LocalServices.requireChroma()))) {
        // a record's id is its chunk id and version; the chunk id is in its metadata
        String collection = client.collection(pipeline.physical).orElseThrow().id();
        for (String chunkId : removed) {
          client.delete(collection, Map.of("chunk_id", chunkId));
        }
      }
      pipeline.tamperWithText(pipeline.chroma, altered + "#0");

      ByteArrayOutputStream printed = new ByteArrayOutputStream();
      ShadowCommand.Reconcile reconcile = new ShadowCommand.Reconcile();
      reconcile.wiring = () -> pipeline.wiring;
      reconcile.out = new PrintStream(printed, true, StandardCharsets.UTF_8);
      StringWriter errors = new StringWriter();
      int exitCode =
          new CommandLine(reconcile)
              .setCaseInsensitiveEnumValuesAllowed(true) // as AgentBrain.main sets it
              .setErr(new PrintWriter(errors))
              .execute(
                  "--index", pipeline.index,
                  "--left", "postgres",
                  "--right", "chroma",
                  "--repair", "chroma",
                  "--page-size", "5",
                  "--wait", "30");
      String out = printed.toString(StandardCharsets.UTF_8);

      assertThat(exitCode).as(out + errors).isZero();
      assertThat(out)
          .as(out)
          .contains(
              "repaired chroma from the log: 3 documents written again "
                  + new TreeSet<>(List.of(gone, partial, altered))
                  + ", 0 removed (0 texts embedded again");
      assertThat(out.lines().filter(line -> line.startsWith("reconciliation ")).toList())
          .as(out)
          .hasSize(2)
          .satisfies(lines -> assertThat(lines.get(0)).contains("3 differing"))
          .satisfies(lines -> assertThat(lines.get(1)).contains("0 differing"));
      pipeline.assertHoldsExactly(pipeline.chroma, expected);
      pipeline.assertHoldsExactly(pipeline.postgres, expected);
    }
  }
}
