package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.roles.LiveRoles;
import dev.agentbrain.testing.LocalServices;
import dev.agentbrain.testing.PrivateChroma;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The schema registry cut off (through a {@link TcpRelay}) while queries are answered and while
 * documents are indexed: what was read from it before keeps both going.
 */
class RegistryOutageIT {

  private static final Duration WAIT = Duration.ofMinutes(2);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path state;
  @TempDir Path chromaDir;

  private IsolatedPipeline pipeline;
  private TcpRelay registry;
  private Wiring viaRelay;
  private IndexerService indexer;
  private QueryServer server;
  private PrivateChroma chroma;

  @BeforeEach
  void start() throws IOException {
    chroma = PrivateChroma.start(chromaDir);
    pipeline =
        IsolatedPipeline.start("regout", 3, Map.of(Settings.CHROMA_URL, chroma.url().toString()));
    registry = TcpRelay.to(LocalServices.requireRegistry());
    registry.up();
    Map<String, String> env = new HashMap<>(pipeline.env);
    env.put(Settings.REGISTRY_URL.env(), registry.uri().toString());
    viaRelay = new Wiring(Settings.of(env));
  }

  @AfterEach
  void stop() throws IOException {
    if (server != null) {
      server.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    registry.close();
    if (pipeline != null) {
      pipeline.close();
    }
    chroma.close();
  }

  @Test
  @DisplayName(
      "with the registry away, queries on both backends keep coming from the last contracts read,"
          + " /health says since when they may be stale, and they refresh when it returns")
  void queriesSurviveARegistryOutage() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(12, 3);
    int chunks = pipeline.expectedChunks(documents).size();
    indexer = pipeline.indexer(state);
    indexer.start();
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(chunks));
    server =
        QueryServer.builder(viaRelay.contracts(), ServeCommand.retrievers(pipeline.wiring))
            .rolesFrom(new LiveRoles(viaRelay.roles(), Duration.ofSeconds(1), Clock.systemUTC()))
            .start();
    for (Backend backend : Backend.values()) {
      assertThat(query(backend).statusCode()).as("answer from %s", backend).isEqualTo(200);
    }
    assertThat(health().at("/registry/contracts/stale").asBoolean()).isFalse();

    Instant cut = Instant.now();
    registry.down();
    // past every cache's time to live (2 s contracts, 1 s roles): each answer re-asks the registry
    List<Integer> statuses = new ArrayList<>();
    Instant until = cut.plusSeconds(6);
    while (Instant.now().isBefore(until)) {
      for (Backend backend : Backend.values()) {
        statuses.add(query(backend).statusCode());
      }
    }
    JsonNode during = health();

    assertThat(statuses).as("answers while the registry was away").isNotEmpty().containsOnly(200);
    for (String read : List.of("contracts", "roles")) {
      assertThat(during.at("/registry/" + read + "/stale").asBoolean())
          .as("%s stale in %s", read, during)
          .isTrue();
      assertThat(Instant.parse(during.at("/registry/" + read + "/stale_since").asText()))
          .as("%s stale since", read)
          .isBetween(cut, Instant.now());
    }

    registry.up();
    await()
        .atMost(Duration.ofSeconds(30))
        .untilAsserted(
            () ->
                assertThat(health().at("/registry"))
                    .as("registry reads after it returned")
                    .allMatch(read -> !read.get("stale").asBoolean()));
  }

  @Test
  @DisplayName(
      "with the registry away, the indexer keeps indexing an index it knows, dead-letters nothing,"
          + " and both backends end exact")
  void indexingSurvivesARegistryOutage() throws Exception {
    List<DocumentEvent> documents = pipeline.documents(40, 9);
    indexer =
        IndexerService.create(
            new IndexerService.Options(
                pipeline.wiring.bootstrap(), state, 2, IsolatedPipeline.TEST_BATCHES, 1_000_000),
            viaRelay.topics(),
            viaRelay.contracts(),
            List.of(
                pipeline.postgresSink(),
                IsolatedPipeline.chromaSink(pipeline.wiring.settings.get(Settings.CHROMA_URL))),
            new SimpleMeterRegistry());
    indexer.start();
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents.subList(0, 5));
      IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.counts().chroma() > 0);

      registry.down();
      publisher.publishAll(documents.subList(5, documents.size()));
      var expected = pipeline.expectedChunks(documents);
      IsolatedPipeline.awaitBackends(WAIT)
          .untilAsserted(
              () ->
                  assertThat(pipeline.counts())
                      .as("chunks per backend, the registry still away")
                      .isEqualTo(new IsolatedPipeline.Counts(expected.size(), expected.size())));
      pipeline.assertHoldsExactly(pipeline.postgres, expected);
      pipeline.assertHoldsExactly(pipeline.chroma, expected);
    }
    registry.up();
    assertThat(
            TopicContents.read(
                pipeline.wiring.bootstrap(),
                pipeline.wiring.topics().deadLetters(),
                TopicContents.ALL))
        .as("dead letters")
        .isEmpty();
  }

  private HttpResponse<String> query(Backend backend) throws Exception {
    String body =
        JSON.writeValueAsString(
            Map.of(
                "query",
                "kafka consumer offset",
                "index",
                pipeline.index,
                "backend",
                backend.id(),
                "top_k",
                3));
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/query"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private JsonNode health() throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    return JSON.readTree(response.body());
  }
}
