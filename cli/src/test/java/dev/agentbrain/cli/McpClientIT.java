package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.mcp.AgentBrainMcp;
import dev.agentbrain.mcp.McpFeatures;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.reindex.ReindexStatus;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Agent Brain's MCP server driven by a client nobody here wrote: the official MCP TypeScript SDK
 * client ({@code @modelcontextprotocol/sdk} from npm, run by Node; {@code
 * src/test/node/mcp-client}) over both transports, stdio ({@code bin/agent-brain mcp}, as the
 * README configures it) and Streamable HTTP at {@code /mcp} on the query API with bearer tokens on.
 * The npm package is installed from the lock file when missing.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class McpClientIT {

  private static final Duration WAIT = Duration.ofSeconds(120);

  /** For the Node client: a JVM started on a loaded 2-core machine needs its time. */
  private static final Duration CLIENT_WAIT = Duration.ofSeconds(240);

  private static final Path CLIENT = Path.of("src/test/node/mcp-client").toAbsolutePath();
  private static final Path AGENT_BRAIN =
      CLIENT.resolve("../../../../../bin/agent-brain").normalize();
  private static final String TOKEN = "mcp-it-reader";
  private static final String ADMIN_TOKEN = "mcp-it-admin";
  private static final String QUERY = "when does the lighthouse keeper record the tide tables";
  private static final String SOURCE = "harbour/lighthouse.md";

  @TempDir static Path state;

  /** The only folder under which the server may index (AGENT_BRAIN_INDEX_ROOTS). */
  @TempDir static Path root;

  private static final String FOLDER_QUERY = "which gull steals the fisherman's herring";

  private IsolatedPipeline pipeline;
  private IndexerService indexer;
  private QueryServer server;
  private Admin admin;
  private ServeJobs jobs;
  private Map<String, String> env;
  private long chunks;

  @BeforeAll
  void start() throws Exception {
    NodePackages.ensureInstalled(CLIENT, "@modelcontextprotocol/sdk");
    pipeline = IsolatedPipeline.start("mcp", 1);
    env = new HashMap<>(pipeline.env);
    env.put(Settings.INDEX_ROOTS.env(), root.toString());
    Wiring wiring = new Wiring(Settings.of(env));
    indexer = pipeline.indexer(state);
    indexer.start();
    await().atMost(WAIT).until(() -> indexer.state() == KafkaStreams.State.RUNNING);
    List<DocumentEvent> documents = new ArrayList<>(pipeline.documents(4, 5));
    documents.add(
        pipeline.document(
            SOURCE,
            "# The lighthouse\n\nEvery morning at six the lighthouse keeper records the tide"
                + " tables in the harbour log, then trims the lamp's wick and polishes the lens."));
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    // the primary (PostgreSQL) answers MCP; Chroma is not needed here
    chunks = pipeline.expectedChunks(documents).size();
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.count(pipeline.postgres) == chunks);
    jobs = ServeJobs.start(wiring, () -> Backend.POSTGRES);
    admin = pipeline.wiring.admin();
    server =
        ServeCommand.withMcp(pipeline.queryServer(), McpFeatures.NONE.withJobs(jobs.jobs()))
            .status(
                ReindexStatus.of(
                    pipeline.wiring.contracts(),
                    admin,
                    pipeline.wiring.topics(),
                    ServeCommand.retrievers(pipeline.wiring)))
            .auth(ApiAuth.of(TOKEN, ADMIN_TOKEN))
            .listen("127.0.0.1", 0)
            .start();
  }

  @AfterAll
  void stop() {
    if (server != null) server.close();
    if (jobs != null) jobs.close();
    if (admin != null) admin.close();
    if (indexer != null) indexer.close();
    if (pipeline != null) pipeline.close();
  }

  @Test
  @DisplayName(
      "over stdio (bin/agent-brain mcp) the TypeScript client lists the tools and finds the document")
  void stdio() throws Exception {
    JsonNode report = client("stdio", AGENT_BRAIN.toString(), "mcp");
    assertSearchSession(report);
    assertFolderSession(report, "stdio-harbour/gulls.md");
  }

  @Test
  @DisplayName(
      "over Streamable HTTP with the token the TypeScript client finds the document; without it,"
          + " it is refused")
  void http() throws Exception {
    String url = "http://127.0.0.1:" + server.port() + AgentBrainMcp.PATH;
    JsonNode report = client("http", url, ADMIN_TOKEN);
    assertSearchSession(report);
    assertFolderSession(report, "http-harbour/gulls.md");
    assertThat(report.at("/readerIndexFolder/content/status").asInt()).isEqualTo(403);
    assertThat(report.at("/readerIndexFolder/text").asText())
        .isEqualTo("this needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    assertThat(report.at("/withoutToken/refused").asBoolean())
        .as("a client without a token: %s", report.get("withoutToken"))
        .isTrue();
    assertThat(report.at("/withoutToken/status").asInt()).isEqualTo(401);
    assertThat(report.at("/withoutToken/error").asText())
        .contains("this API needs a token: send the header 'Authorization: Bearer <token>'");
  }

  private void assertSearchSession(JsonNode report) {
    assertThat(report.at("/server/name").asText()).isEqualTo("agent-brain");
    List<String> tools = new ArrayList<>();
    report.get("tools").forEach(t -> tools.add(t.get("name").asText()));
    assertThat(tools)
        .contains(
            "search_documents",
            "query_count",
            "explain_result",
            "server_health",
            "list_file_types",
            "reindex_progress");
    report
        .get("tools")
        .forEach(t -> assertThat(t.get("described").asBoolean()).as(t.toString()).isTrue());

    JsonNode search = report.get("search");
    assertThat(search.get("isError").asBoolean()).as(search.toString()).isFalse();
    assertThat(search.at("/content/mode").asText())
        .as("Agent Brain's default mode")
        .isEqualTo("hybrid");
    JsonNode top = search.at("/content/results/0");
    assertThat(top.get("source").asText()).isEqualTo(SOURCE);
    assertThat(top.get("text").asText()).contains("tide tables");
    assertThat(top.has("rerank_score") && top.has("original_rank")).as(top.toString()).isTrue();
    assertThat(search.get("text").asText()).as("the same answer as JSON text").contains(SOURCE);

    assertThat(report.at("/count/content/count").asLong()).isEqualTo(chunks);
    assertThat(report.at("/explain/content/found").asBoolean()).isTrue();
    assertThat(report.at("/explain/content/rank").asInt()).isEqualTo(1);
    assertThat(report.at("/explain/content/explain/mode").asText()).isEqualTo("hybrid");
    assertThat(report.at("/chunk/source").asText()).isEqualTo(SOURCE);
    List<String> indexes = new ArrayList<>();
    report.at("/indexes/indexes").forEach(i -> indexes.add(i.get("name").asText()));
    assertThat(indexes).contains(pipeline.index);

    // errors an agent can act on, in the API's own words
    assertThat(report.at("/badTopK/isError").asBoolean()).isTrue();
    assertThat(report.at("/badTopK/text").asText()).isEqualTo("top_k must be between 1 and 100");
    assertThat(report.at("/badTopK/content/status").asInt()).isEqualTo(400);
    assertThat(report.at("/unknownIndex/isError").asBoolean()).isTrue();
    assertThat(report.at("/unknownIndex/text").asText())
        .isEqualTo("index 'no_such_index_here' does not exist — see GET /indexes");
    assertThat(report.at("/health/content/status").asText()).isIn("healthy", "degraded");
  }

  /**
   * index_folder, wait_for_job until done, search_documents finds the file; remove_folder,
   * wait_for_job, and search_documents finds it no more.
   */
  private static void assertFolderSession(JsonNode report, String source) {
    JsonNode folder = report.get("folder");
    assertThat(folder.at("/indexed/isError").asBoolean()).as(folder.toString()).isFalse();
    assertThat(folder.at("/indexDone/content/state").asText())
        .as(folder.toString())
        .isEqualTo("done");
    assertThat(texts(folder.get("sourcesAfterIndex"))).contains(source);
    assertThat(folder.at("/folders/content/folders").toString()).contains(source.split("/")[0]);
    assertThat(folder.at("/removeDone/content/state").asText())
        .as(folder.toString())
        .isEqualTo("done");
    assertThat(texts(folder.get("sourcesAfterRemove"))).doesNotContain(source);
  }

  private static List<String> texts(JsonNode array) {
    List<String> texts = new ArrayList<>();
    array.forEach(t -> texts.add(t.asText()));
    return texts;
  }

  /** Runs the Node client against a server and returns what it reported. */
  private JsonNode client(String transport, String target, String argument) throws Exception {
    Path folder = Files.createDirectories(root.resolve(transport + "-harbour"));
    Files.writeString(
        folder.resolve("gulls.md"),
        "# Gulls\n\nThe herring gull steals the fisherman's herring from the quay every evening.\n");
    Map<String, String> env = new HashMap<>(this.env);
    env.put("MCP_INDEX", pipeline.index);
    env.put("MCP_QUERY", QUERY);
    env.put("MCP_FOLDER", folder.toString());
    env.put("MCP_FOLDER_QUERY", FOLDER_QUERY);
    env.put("MCP_READER_TOKEN", TOKEN);
    Path out = state.resolve(transport + "-report.json");
    Path err = state.resolve(transport + "-stderr.txt");
    ProcessBuilder builder =
        new ProcessBuilder("node", "client.mjs", transport, target, argument)
            .directory(CLIENT.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().putAll(env);
    Process node = builder.start();
    boolean finished = node.waitFor(CLIENT_WAIT.toSeconds(), TimeUnit.SECONDS);
    if (!finished) {
      node.destroyForcibly();
    }
    assertThat(finished)
        .as("node client.mjs %s finished within %s", transport, CLIENT_WAIT)
        .isTrue();
    assertThat(node.exitValue())
        .as(
            "node client.mjs %s; stdout: %s; stderr: %s",
            transport, Files.readString(out), Files.readString(err))
        .isZero();
    return new ObjectMapper().readTree(out.toFile());
  }
}
