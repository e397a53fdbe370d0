package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Settings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.testing.LocalServices;
import dev.agentbrain.testing.PrivateKafka;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} started while Kafka and the schema registry are both down (issue 11: start order
 * never matters). It used to exit at once ("Kafka is not reachable", then "the schema registry is
 * not reachable"), so under a supervisor it crash-looped until both were up. Now it listens, is not
 * ready while it knows no contract, says in {@code /health/status} why indexing jobs wait and
 * answers them 503 meanwhile, and once both services are up runs a job and answers queries, with no
 * restart.
 */
class ServeDependenciesDownIT {

  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path kafkaHome;
  @TempDir Path home;
  @TempDir Path state;
  @TempDir Path root;

  private final HttpClient http = HttpClient.newHttpClient();
  private PrivateKafka kafka;
  private TcpRelay registry;
  private IsolatedPipeline pipeline;
  private ServeCommand.Serving serving;
  private IndexerService indexer;
  private String api;

  @AfterEach
  void stop() throws Exception {
    if (serving != null) {
      serving.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
    if (registry != null) {
      registry.close();
    }
    if (kafka != null) {
      kafka.close();
    }
  }

  @Test
  @DisplayName(
      "serve and the indexer started with Kafka and the registry down wait, say why, then index a"
          + " folder by a job and answer queries once both are up, with no restart")
  void serveBeforeKafkaAndRegistry() throws Exception {
    kafka = PrivateKafka.start(kafkaHome);
    kafka.stop();
    registry = TcpRelay.to(LocalServices.requireRegistry()); // down at first
    pipeline =
        IsolatedPipeline.start("depsdown", 1, Map.of(Settings.KAFKA_BOOTSTRAP, kafka.bootstrap()));
    Path notes = Files.createDirectories(root.resolve("notes"));
    Files.writeString(
        notes.resolve("a.md"), "# Alpha\n\nKafka keeps an ordered log per partition.\n");
    Files.writeString(notes.resolve("b.md"), "# Beta\n\nChroma keeps collections of vectors.\n");

    Map<String, String> env = new HashMap<>(pipeline.env);
    env.put(Settings.HOME.env(), home.toString());
    env.put(Settings.REGISTRY_URL.env(), registry.uri().toString());
    env.put(Settings.INDEX_ROOTS.env(), root.toString());
    try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      env.put(Settings.API_PORT.env(), String.valueOf(probe.getLocalPort()));
    }
    Instant started = Instant.now();
    serving = ServeCommand.start(new Wiring(Settings.of(env)));
    api = "http://127.0.0.1:" + serving.server().port();
    System.out.printf(
        "serve listening after %s with Kafka and the registry down%n",
        Duration.between(started, Instant.now()));

    // not ready: no index contract could be read yet, so no query could be answered
    HttpResponse<String> health = get("/health");
    assertThat(health.statusCode()).as(health.body()).isEqualTo(503);
    assertThat(json(health).at("/registry/roles/stale").asBoolean()).as(health.body()).isTrue();
    JsonNode jobsStatus = json(get("/health/status")).path("jobs");
    assertThat(jobsStatus.path("ready").asBoolean()).as(jobsStatus.toString()).isFalse();
    assertThat(jobsStatus.path("problem").asText()).contains("is not reachable");
    HttpResponse<String> waiting = get("/index/jobs");
    assertThat(waiting.statusCode()).as(waiting.body()).isEqualTo(503);
    assertThat(json(waiting).path("detail").asText())
        .startsWith("indexing jobs are not available yet: ")
        .contains("searches work meanwhile");

    // the indexer too starts before Kafka, and waits for it as `agent-brain indexer` does
    CompletableFuture<IndexerService> waitingIndexer =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return IndexerCommand.untilReachable(() -> pipeline.indexer(state));
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    Thread.sleep(2_000);
    assertThat(waitingIndexer).as("the indexer waits while Kafka is down").isNotDone();

    registry.up();
    kafka.start();
    indexer = waitingIndexer.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    indexer.start();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(get("/health").statusCode()).as("ready again").isEqualTo(200));
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(json(get("/health/status")).at("/jobs/ready").asBoolean())
                    .as("jobs ready once Kafka and the registry are up")
                    .isTrue());

    HttpResponse<String> accepted =
        post(
            "/index",
            Map.of("folder_path", notes.toString(), "index", pipeline.index, "folder_name", "n"));
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
    String id = json(accepted).path("id").asText();
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode job = json(get("/index/jobs/" + id + "?wait_seconds=20"));
              assertThat(job.path("state").asText()).as(job.toString()).isEqualTo("done");
            });

    List<String> sources = new ArrayList<>();
    HttpResponse<String> answer =
        get(
            "/query?index=%s&mode=bm25&top_k=5&query=%s"
                .formatted(
                    pipeline.index, URLEncoder.encode("ordered log", StandardCharsets.UTF_8)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    json(answer).path("results").forEach(hit -> sources.add(hit.path("source").asText()));
    assertThat(sources).first().isEqualTo("n/a.md");
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(60)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, Map<String, String> body) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(api + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return JSON.readTree(response.body());
  }
}
