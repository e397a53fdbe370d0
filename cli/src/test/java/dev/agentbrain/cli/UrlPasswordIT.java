package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A password inside AGENT_BRAIN_PG_URL, as a user may write it, is shown by no real process: not by
 * {@code agent-brain config}, not in a log line of {@code agent-brain indexer} or {@code serve}
 * (their whole output, read from the child JVMs), not in an answer of the API. The URL names a
 * database that does not exist, so every PostgreSQL call fails and its error names the server.
 */
class UrlPasswordIT {

  private static final String SECRET = "Pw-7f3c9e1d-never-shown";
  private static final String ABSENT_DATABASE = "agentbrain_absent_pw";
  // in the query API range of this test's engineer, clear of make run's 18888 and CI's 28000-29999
  private static final int API_PORT = 33011;

  @TempDir Path home;

  private IsolatedPipeline pipeline;
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void registerAnIndex() {
    pipeline = IsolatedPipeline.start("urlpw", 1);
  }

  @AfterEach
  void stop() throws InterruptedException {
    for (Process process : processes) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor();
      }
    }
    if (pipeline != null) pipeline.close();
  }

  @Test
  @DisplayName(
      "a password in the JDBC URL appears in no output of agent-brain config, in no log line of"
          + " the indexer or the query API, and in no API answer")
  void passwordInTheUrlIsNeverShown() throws Exception {
    Process config = start("config", "config");
    assertThat(config.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String configured = read("config");
    assertThat(configured).contains(ABSENT_DATABASE + "?password=****").doesNotContain(SECRET);

    start("indexer", "indexer");
    start("serve", "serve");
    HttpClient http = HttpClient.newHttpClient();
    await("the query API answers")
        .atMost(Duration.ofSeconds(120))
        .ignoreExceptions()
        .until(() -> get(http, "/health").statusCode() > 0);

    List<HttpResponse<String>> answers = new ArrayList<>();
    answers.add(
        http.send(
            request("/query")
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"query\": \"kafka\", \"index\": \"%s\"}".formatted(pipeline.index)))
                .build(),
            HttpResponse.BodyHandlers.ofString()));
    answers.add(get(http, "/query/count?index=" + pipeline.index));
    answers.add(get(http, "/query/chunk/none?index=" + pipeline.index));
    answers.add(get(http, "/health"));
    answers.add(get(http, "/health/status"));
    // the search reached PostgreSQL and failed there, so its error could have named the URL
    assertThat(answers.getFirst().statusCode()).as(answers.getFirst().body()).isEqualTo(503);
    for (HttpResponse<String> answer : answers) {
      assertThat(answer.body()).as(answer.uri().toString()).doesNotContain(SECRET);
      answer.headers().map().values().forEach(v -> assertThat(v.toString()).doesNotContain(SECRET));
    }

    // both processes named the server in a log line: with the URL, and the password masked
    await("the indexer and the query API log PostgreSQL's failure")
        .atMost(Duration.ofSeconds(120))
        .until(
            () ->
                read("indexer").contains(ABSENT_DATABASE)
                    && read("serve").contains(ABSENT_DATABASE));
    for (String name : List.of("indexer", "serve")) {
      assertThat(read(name)).as(name + "'s log").doesNotContain(SECRET).contains("password=****");
    }
  }

  /** {@code agent-brain <command>} in a child JVM, its whole output (stdout, stderr) in a file. */
  private Process start(String name, String command) throws IOException {
    ProcessBuilder builder = pipeline.agentBrain(command);
    Map<String, String> env = builder.environment();
    env.put(
        Settings.PG_URL.env(),
        "jdbc:postgresql://127.0.0.1:5432/%s?password=%s&sslmode=disable"
            .formatted(ABSENT_DATABASE, SECRET));
    env.put(Settings.HOME.env(), home.toString());
    env.put(Settings.SINKS.env(), "postgres");
    env.put(Settings.STORAGE_BACKEND.env(), "postgres");
    env.put(Settings.API_PORT.env(), String.valueOf(API_PORT));
    env.put(Settings.INDEXER_METRICS_PORT.env(), "0");
    env.put(Settings.EMBEDDING_THREADS.env(), "1");
    builder.redirectErrorStream(true);
    builder.redirectOutput(home.resolve(name + ".log").toFile());
    Process process = builder.start();
    processes.add(process);
    return process;
  }

  private String read(String name) throws IOException {
    Path log = home.resolve(name + ".log");
    return Files.exists(log) ? Files.readString(log) : "";
  }

  private static HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + API_PORT + path))
        .timeout(Duration.ofSeconds(30));
  }

  private static HttpResponse<String> get(HttpClient http, String path) throws Exception {
    return http.send(request(path).GET().build(), HttpResponse.BodyHandlers.ofString());
  }
}
