package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.Route;
import dev.agentbrain.storage.NoSuchIndexException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Indexing over HTTP, as {@code agent-brain serve} wires it (issue 15): jobs kept in Kafka that
 * survive a restart of the server and are seen by every replica, done only when the primary backend
 * serves their documents; folders outside the index roots refused; folders listed and removed, also
 * with the CLI.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class IndexingJobsIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String TOKEN = "jobs-read-token";
  private static final String ADMIN = "jobs-admin-token";
  private static final Duration WAIT = Duration.ofSeconds(120);

  @TempDir static Path root;
  @TempDir static Path outside;
  @TempDir static Path state;

  private IsolatedPipeline pipeline;
  private Wiring wiring;
  private Path notes;
  private ServeJobs jobs;
  private QueryServer server;
  private IndexerService indexer;

  /** An answer of the API. */
  record Answer(int status, JsonNode json) {}

  @BeforeAll
  void start() throws IOException {
    pipeline = IsolatedPipeline.start("jobsit", 1);
    Map<String, String> env = new HashMap<>(pipeline.env);
    env.put(Settings.INDEX_ROOTS.env(), root.toString());
    env.put(Settings.API_TOKEN.env(), TOKEN);
    env.put(Settings.API_ADMIN_TOKEN.env(), ADMIN);
    wiring = new Wiring(Settings.of(env));
    notes = Files.createDirectories(root.resolve("notes"));
    Files.writeString(
        notes.resolve("a.md"), "# Alpha\n\nKafka keeps an ordered log per partition.\n");
    Files.writeString(notes.resolve("b.md"), "# Beta\n\nChroma keeps collections of vectors.\n");
    serve();
  }

  /** Starts the jobs and the API as {@code agent-brain serve} does. */
  private void serve() {
    jobs = ServeJobs.start(wiring, () -> Backend.POSTGRES);
    server =
        QueryServer.builder(wiring.contracts(), ServeCommand.retrievers(wiring))
            .auth(ApiAuth.of(TOKEN, ADMIN))
            .routes(jobs.routes())
            .start();
  }

  private void stopServing() {
    server.close();
    jobs.close();
  }

  @AfterAll
  void stop() {
    if (server != null) {
      stopServing();
    }
    if (indexer != null) {
      indexer.close();
    }
    pipeline.close();
  }

  @Test
  @Order(1)
  @DisplayName(
      "folders outside the roots, with .., through a symlink out of a root or missing are refused;"
          + " writes need the admin token")
  void refusedFolders() throws IOException {
    Path link = Files.createSymbolicLink(root.resolve("escape"), outside);
    String roots = " (AGENT_BRAIN_INDEX_ROOTS) may, and ";

    Answer elsewhere = post("/index", Map.of("folder_path", outside.toString()), ADMIN);
    Answer dots = post("/index", Map.of("folder_path", notes + "/../../x"), ADMIN);
    Answer symlink = post("/index", Map.of("folder_path", link.toString()), ADMIN);
    Answer relative = post("/index", Map.of("folder_path", "notes"), ADMIN);
    Answer missing = post("/index", Map.of("folder_path", root + "/nope"), ADMIN);

    assertThat(elsewhere.status()).isEqualTo(403);
    assertThat(detail(elsewhere))
        .isEqualTo(
            outside
                + " may not be indexed: only folders under "
                + root
                + roots
                + "it is outside them");
    assertThat(dots.status()).isEqualTo(403);
    assertThat(detail(dots)).endsWith(roots + "a path with .. is refused");
    assertThat(symlink.status()).isEqualTo(403);
    assertThat(detail(symlink)).endsWith(roots + "it leads to " + outside.toRealPath());
    assertThat(relative.status()).isEqualTo(400);
    assertThat(detail(relative)).isEqualTo("the folder path must be absolute, not 'notes'");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(detail(missing)).isEqualTo("there is no folder " + root + "/nope");
    assertThat(post("/index", Map.of("folder_path", notes.toString()), TOKEN).status())
        .isEqualTo(403);
    assertThat(post("/index", Map.of("folder_path", notes.toString()), null).status())
        .isEqualTo(401);
    assertThat(get("/index/jobs").json().path("jobs")).isEmpty();
  }

  @Test
  @Order(2)
  @DisplayName(
      "a job survives a restart of serve, is seen by every replica, and is done only when the"
          + " primary backend serves its documents; a cancelled job never runs")
  void jobSurvivesRestart() {
    Answer accepted =
        post(
            "/index",
            Map.of("folder_path", notes.toString(), "index", pipeline.index, "preset", "docs"),
            ADMIN);
    assertThat(accepted.status()).isEqualTo(202);
    String id = accepted.json().path("id").asText();
    // no indexer runs yet: published, then waiting for the backends
    await().atMost(WAIT).until(() -> state(get("/index/jobs/" + id)).equals("indexing"));
    Answer waiting = get("/index/jobs/" + id);
    assertThat(waiting.json().path("files").path("published").asInt()).isEqualTo(2);
    assertThat(waiting.json().path("documents_pending").asInt()).isEqualTo(2);
    String queued =
        post(
                "/index/add",
                Map.of(
                    "index",
                    pipeline.index,
                    "documents",
                    List.of(Map.of("name", "later.md", "text", "# Later\n\nNever sent.\n"))),
                ADMIN)
            .json()
            .path("id")
            .asText();
    assertThat(
            send("DELETE", "/index/jobs/" + queued, null, ADMIN)
                .json()
                .path("cancel_requested")
                .asBoolean())
        .isTrue();

    stopServing();
    serve();
    ServeJobs replica = ServeJobs.start(wiring, () -> Backend.POSTGRES);
    try {
      await()
          .atMost(WAIT)
          .until(
              () -> replica.jobs().job(id).map(j -> j.state().name()).orElse(""),
              s -> s.equals("INDEXING"));
      assertThat(ids(get("/index/jobs"))).containsExactly(queued, id);
      assertThat(state(get("/index/jobs/" + id))).isEqualTo("indexing");
    } finally {
      replica.close();
    }

    indexer = pipeline.indexer(state);
    indexer.start();
    Answer done = get("/index/jobs/" + id + "?wait_seconds=120");
    assertThat(state(done)).isEqualTo("done");
    long chunks = pipeline.count(pipeline.postgres);
    assertThat(chunks).isGreaterThanOrEqualTo(2);
    assertThat(done.json().path("chunks_searchable").path("postgres").asLong()).isEqualTo(chunks);
    assertThat(done.json().path("documents_pending").asInt()).isZero();
    assertThat(sources()).containsExactlyInAnyOrder("notes/a.md", "notes/b.md");
    Answer cancelled = get("/index/jobs/" + queued + "?wait_seconds=60");
    assertThat(state(cancelled)).isEqualTo("cancelled");
    assertThat(cancelled.json().path("detail").asText()).isEqualTo("cancelled before it started");
  }

  @Test
  @Order(3)
  @Timeout(180)
  @DisplayName(
      "folders are listed and removed with the CLI; the removal is done when they are gone")
  void foldersWithTheCli() {
    String api = "http://127.0.0.1:" + server.port();

    Run list = cli(new FoldersCommand.ListFolders(), "--index", pipeline.index, "--api", api);
    Run remove =
        cli(
            new FoldersCommand.Remove(),
            "notes",
            "--index",
            pipeline.index,
            "--wait",
            "--api",
            api);
    Run jobsList = cli(new JobsCommand(), "--api", api);

    assertThat(list.exit()).isZero();
    assertThat(list.out()).contains(pipeline.index).contains("notes").contains(notes.toString());
    assertThat(remove.exit()).as(remove.out()).isZero();
    assertThat(remove.out()).contains("done").contains("remove notes from " + pipeline.index);
    assertThat(pipeline.count(pipeline.postgres)).isZero();
    assertThat(get("/index/folders?index=" + pipeline.index).json().path("folders")).isEmpty();
    assertThat(jobsList.out().lines()).hasSize(3);
    Run unknown = cli(new JobsCommand(), "no-such-job", "--api", api);
    assertThat(unknown.exit()).isEqualTo(AgentBrain.USAGE);
  }

  @Test
  @Order(4)
  @DisplayName("every route of the server, the jobs' included, is described in /openapi.json")
  void openApiListsEveryRoute() {
    JsonNode paths = get("/openapi.json").json().path("paths");
    Set<String> missing = new HashSet<>();
    for (Route route : server.routes()) {
      String method = route.method().name().toLowerCase(Locale.ROOT);
      if (!paths.path(route.path()).has(method)) {
        missing.add(method + " " + route.path());
      }
    }
    assertThat(missing).isEmpty();
    assertThat(paths.has("/index/jobs/{id}")).isTrue();
  }

  private List<String> sources() {
    try {
      List<String> sources = new java.util.ArrayList<>();
      pipeline
          .postgres
          .chunksOf(
              pipeline.physical,
              pipeline.postgres.documents(pipeline.physical, "", 100).documentIds())
          .forEach(c -> sources.add(c.source()));
      return sources.stream().distinct().toList();
    } catch (NoSuchIndexException e) {
      return List.of();
    }
  }

  record Run(int exit, String out) {}

  private Run cli(Object command, String... args) {
    StringWriter out = new StringWriter();
    switch (command) {
      case FoldersCommand.ListFolders c -> c.api.wiring = () -> wiring;
      case FoldersCommand.Remove c -> c.api.wiring = () -> wiring;
      case JobsCommand c -> c.api.wiring = () -> wiring;
      default -> throw new IllegalArgumentException(command.toString());
    }
    CommandLine line = new CommandLine(command);
    line.setOut(new PrintWriter(out));
    line.setErr(new PrintWriter(out));
    line.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println(e.getMessage());
          return e instanceof IllegalArgumentException ? AgentBrain.USAGE : 1;
        });
    int exit = line.execute(args);
    return new Run(exit, out.toString());
  }

  private static String state(Answer answer) {
    return answer.json().path("state").asText();
  }

  private static String detail(Answer answer) {
    return answer.json().path("detail").asText();
  }

  private static List<String> ids(Answer answer) {
    return StreamSupport.stream(answer.json().path("jobs").spliterator(), false)
        .map(j -> j.path("id").asText())
        .toList();
  }

  private Answer get(String path) {
    return send("GET", path, null, TOKEN);
  }

  private Answer post(String path, Object body, String token) {
    try {
      return send("POST", path, JSON.writeValueAsString(body), token);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private Answer send(String method, String path, String body, String token) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
            .timeout(Duration.ofSeconds(150))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Answer(response.statusCode(), JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
