package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.testing.SharedData;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The query API's pages in a real browser: Debian's Chromium ({@code make up} installs it) driven
 * by Playwright ({@code playwright-core} from npm, run by Node; {@code src/test/node/browser}),
 * with auth on, over files of the docs corpus ({@code ../shared/data/docs-corpus}, read in place)
 * published through the pipeline: search with a filter, next page and a chunk opened; both backends
 * side by side with the shadow report; the indexing page while more documents are published. A
 * screenshot of each page is kept in {@code target/browser/}.
 */
class BrowserIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Path DRIVER = Path.of("src/test/node/browser").toAbsolutePath();
  private static final Path SHOTS = Path.of("target/browser").toAbsolutePath();
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String READER = "browser-it-reader-token";
  private static final String ADMIN = "browser-it-admin-token!";
  private static final String QUERY = "create an index with settings and mappings";
  private static final String GLOB = "_api-reference/index-apis/*template*";

  /** The documents searched: index API pages of the OpenSearch documentation. */
  private static final String FIRST = "_api-reference/index-apis";

  /** Published while the indexing page is watched. */
  private static final String LATER = "_security-analytics/log-types-reference";

  @TempDir Path state;
  @TempDir Path home;

  @Test
  void searchCompareAndIndexingPagesInChromium() throws Exception {
    assertThat(Files.isExecutable(CHROMIUM))
        .as("%s is missing: 'make up' installs it (apt-get install chromium)", CHROMIUM)
        .isTrue();
    NodePackages.ensureInstalled(DRIVER, "playwright-core");
    Files.createDirectories(SHOTS);
    Path corpus = SharedData.docsCorpus().resolve("opensearch-documentation-website");

    try (IsolatedPipeline pipeline =
        IsolatedPipeline.startAsUsersIndex("browser", 1, IsolatedPipeline.FAST_MODEL)) {
      List<DocumentEvent> first = documents(pipeline, corpus, FIRST, 20);
      List<DocumentEvent> later = documents(pipeline, corpus, LATER, 8);
      int firstChunks = pipeline.chunkCount(first);
      int allChunks = firstChunks + pipeline.chunkCount(later);
      try (IndexerService indexer = pipeline.indexer(state);
          ServeCommand.Serving serving =
              pipeline.serve(
                  home,
                  Map.of(
                      Settings.API_TOKEN, READER,
                      Settings.API_ADMIN_TOKEN, ADMIN,
                      Settings.STORAGE_BACKEND, "postgres",
                      Settings.SHADOW_BACKEND, "chroma",
                      Settings.SHADOW_SAMPLE, "1"));
          DocumentPublisher publisher = pipeline.publisher()) {
        indexer.start();
        long started = System.nanoTime();
        publisher.publishAll(first);
        IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(firstChunks));
        System.out.printf(
            "BrowserIT: %d documents, %d chunks in both backends in %d ms%n",
            first.size(), firstChunks, (System.nanoTime() - started) / 1_000_000);
        started = System.nanoTime();

        JsonNode report =
            drive(
                "http://127.0.0.1:" + serving.server().port(),
                pipeline.index,
                () -> publisher.publishAll(later),
                allChunks);
        System.out.printf(
            "BrowserIT: the browser's session took %d ms (%d more documents, %d chunks in all)%n",
            (System.nanoTime() - started) / 1_000_000, later.size(), allChunks);
        assertSearch(report, first);
        assertCompare(report);
        assertIndexing(report, firstChunks, allChunks);
        assertThat(report.get("consoleErrors")).as("script errors in the pages").isEmpty();
      }
    }
  }

  private static void assertSearch(JsonNode report, List<DocumentEvent> published) {
    assertThat(report.get("tokenAsked").asText()).contains("Enter the reader or admin token");
    Set<String> sources = new HashSet<>();
    published.forEach(d -> sources.add(d.getSource()));

    JsonNode hits = report.at("/search/hits");
    assertThat(hits).as(report.get("search").toString()).hasSize(5);
    assertThat(report.at("/search/summary").asText())
        .startsWith("Results 1–5 from postgres, hybrid");
    List<String> top = new ArrayList<>();
    for (JsonNode hit : hits) {
      top.add(hit.get("source").asText());
      assertThat(sources).contains(hit.get("source").asText());
      assertThat(hit.get("marks")).as("query words marked in %s", hit).isNotEmpty();
    }
    assertThat(top)
        .as("the create-index page among the top 5")
        .contains(FIRST + "/create-index.md");
    assertThat(hits.findValuesAsText("parts"))
        .as("score parts and ranks of each retriever")
        .anyMatch(
            p -> p.matches("vector 0\\.\\d{3} \\(rank \\d+\\) · BM25 0\\.\\d{3} \\(rank \\d+\\)"));

    assertThat(report.at("/nextPage/summary").asText()).startsWith("Results 6–10 from postgres");
    assertThat(report.at("/nextPage/hits/0/chunk_id").asText())
        .isNotIn(hits.findValuesAsText("chunk_id"));

    PathMatcher glob = FileSystems.getDefault().getPathMatcher("glob:" + GLOB);
    JsonNode filtered = report.at("/filtered/hits");
    assertThat(filtered).as(report.get("filtered").toString()).isNotEmpty();
    filtered.forEach(
        hit ->
            assertThat(glob.matches(Path.of(hit.get("source").asText())))
                .as("%s matches %s", hit.get("source").asText(), GLOB)
                .isTrue());
    assertThat(report.at("/filtered/url").asText()).contains("file_paths=");

    JsonNode chunk = report.get("chunk");
    assertThat(chunk.get("title").asText()).isEqualTo(chunk.at("/of/source").asText());
    assertThat(chunk.get("meta").asText()).contains("from postgres");
    assertThat(chunk.get("marks").asInt()).isPositive();
    assertThat(chunk.get("focused").asText())
        .as("focus moves to the chunk")
        .isEqualTo("chunk-title");

    assertThat(report.get("focusOrder").toString())
        .as("Tab goes through the form in reading order")
        .startsWith(
            "[\"q\",\"index\",\"mode\",\"top_k\",\"source_types\",\"languages\",\"file_paths\",\"metadata\"");
    assertThat(report.at("/narrow/scrollWidth").asInt())
        .as("no sideways scrolling at 380 px")
        .isLessThanOrEqualTo(report.at("/narrow/width").asInt());
  }

  private static void assertCompare(JsonNode report) {
    JsonNode compare = report.get("compare");
    assertThat(compare.get("postgres")).as(compare.toString()).hasSize(5);
    assertThat(compare.get("chroma")).hasSize(5);
    Set<String> chroma = new HashSet<>(compare.get("chroma").findValuesAsText("chunk_id"));
    long shared = 0;
    for (JsonNode hit : compare.get("postgres")) {
      boolean inBoth = chroma.contains(hit.get("chunk_id").asText());
      assertThat(hit.get("shared").asBoolean()).as("marked as shared: %s", hit).isEqualTo(inBoth);
      shared += inBoth ? 1 : 0;
    }
    assertThat(shared).as("the same chunks embedded alike in both backends").isPositive();
    assertThat(compare.get("agreement").asText())
        .matches(shared + " shared results · overlap [01]\\.\\d\\d · RBO [01]\\.\\d{3} .*");

    JsonNode shadow = report.get("shadow");
    assertThat(shadow.get("summary").asText()).startsWith("Primary postgres, shadow chroma;");
    assertThat(shadow.get("points").asInt()).as("timeline points").isPositive();
    assertThat(shadow.get("modes").toString()).contains("hybrid");
    assertThat(shadow.get("worst").asInt()).isPositive();
  }

  private static void assertIndexing(JsonNode report, int firstChunks, int allChunks) {
    JsonNode seen = report.at("/indexing/seen");
    assertThat(seen.get(0).get("postgres").asText()).isEqualTo(String.valueOf(firstChunks));
    assertThat(seen.get(0).get("chroma").asText()).isEqualTo(String.valueOf(firstChunks));
    JsonNode last = report.at("/indexing/last");
    assertThat(last.get("postgres").asText())
        .as("the page follows publishing: %s", seen)
        .isEqualTo(String.valueOf(allChunks));
    assertThat(last.get("chroma").asText()).isEqualTo(String.valueOf(allChunks));
    assertThat(last.at("/lag/postgres").asText()).as("caught up shows lag 0").isEqualTo("0");
    assertThat(last.at("/lag/chroma").asText()).isEqualTo("0");
    assertThat(last.get("deadLetters").asText()).isEqualTo("Dead letters: 0.");
    assertThat(seen.size()).as("views seen while publishing").isGreaterThan(1);
  }

  /** The first {@code count} Markdown files of a folder of the corpus, read in place. */
  private static List<DocumentEvent> documents(
      IsolatedPipeline pipeline, Path corpus, String folder, int count) throws IOException {
    try (Stream<Path> files = Files.list(corpus.resolve(folder))) {
      List<Path> markdown =
          files.filter(f -> f.toString().endsWith(".md")).sorted().limit(count).toList();
      List<DocumentEvent> documents = new ArrayList<>();
      for (Path file : markdown) {
        documents.add(
            pipeline.document(
                corpus.relativize(file).toString(),
                Files.readString(file, StandardCharsets.UTF_8)));
      }
      return documents;
    }
  }

  /** Something the test does while the browser waits. */
  private interface Step {
    void run() throws Exception;
  }

  /**
   * Runs the Playwright script against the API; when it has looked at the indexing page, runs
   * {@code publish} and tells it how many chunks to wait for. Answers what it saw.
   */
  private JsonNode drive(String base, String index, Step publish, int chunks) throws Exception {
    Path out = state.resolve("browser-report.json");
    Path err = SHOTS.resolve("browser-stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder("node", "browser.mjs", out.toString())
            .directory(DRIVER.toFile())
            .redirectError(err.toFile());
    builder
        .environment()
        .putAll(
            Map.of(
                "BROWSER_BASE_URL", base,
                "BROWSER_INDEX", index,
                "BROWSER_QUERY", QUERY,
                "BROWSER_PATH_GLOB", GLOB,
                "BROWSER_ADMIN_TOKEN", ADMIN,
                "BROWSER_SHOTS", SHOTS.toString()));
    Process node = builder.start();
    try (BufferedReader lines =
            new BufferedReader(
                new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8));
        Writer to = new OutputStreamWriter(node.getOutputStream(), StandardCharsets.UTF_8)) {
      String line;
      while ((line = lines.readLine()) != null && !line.equals("INDEXING")) {
        System.out.println("browser: " + line);
      }
      if (line != null) {
        publish.run();
        to.write("PUBLISHED " + chunks + "\n");
        to.flush();
      }
      boolean finished = node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
      if (!finished) {
        node.destroyForcibly();
      }
      assertThat(finished).as("node browser.mjs finished within %s", WAIT).isTrue();
    }
    assertThat(node.exitValue())
        .as("node browser.mjs; stderr: %s; report: %s", read(err), read(out))
        .isZero();
    JsonNode report = new ObjectMapper().readTree(out.toFile());
    Files.writeString(SHOTS.resolve("report.json"), report.toPrettyString());
    return report;
  }

  private static String read(Path file) throws IOException {
    return Files.exists(file) ? Files.readString(file) : "(none)";
  }
}
