package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.BatchSettings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.indexer.dlq.Stage;
import dev.agentbrain.publish.DocumentIds;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The thin slice, against the real local services: files published with the producer are chunked
 * and embedded by the indexer with a real model, land in PostgreSQL and Chroma, and are found by
 * the query API on both backends.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EndToEndIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir static Path state;
  @TempDir static Path corpus;

  private static Wiring wiring;
  private static String index;
  private static String physical;
  private static IndexerService indexer;
  private static QueryServer api;
  private static PostgresStore postgres;
  private static ChromaStore chroma;
  private static DocumentPublisher publisher;

  @BeforeAll
  static void startPipeline() throws Exception {
    LocalServices.requireKafka();
    LocalServices.requireRegistry();
    LocalServices.requirePostgres();
    LocalServices.requireChroma();
    String run = UUID.randomUUID().toString().replace("-", "").substring(0, 8);
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put(Settings.TOPIC_PREFIX.env(), "e2e-" + run);
    env.put(Settings.PARTITIONS.env(), "3");
    wiring = new Wiring(Settings.of(env));
    index = "e2e_" + run;
    EmbeddingContract contract =
        wiring
            .contracts()
            .register(IndexContracts.draft(index, "all-minilm-l6-v2-q", "english", 100, 10));
    physical = ContractRegistry.physicalName(index, contract.getVersion());

    postgres = wiring.postgres(2);
    chroma = wiring.chroma();
    indexer =
        IndexerService.create(
            new IndexerService.Options(
                wiring.bootstrap(),
                state,
                2,
                new BatchSettings(16, 8_000, Duration.ofMillis(200)),
                1_000_000),
            wiring.topics(),
            wiring.contracts(),
            List.of(
                new IndexerService.Sink(Stage.SINK_POSTGRES, wiring.postgres(2)),
                new IndexerService.Sink(Stage.SINK_CHROMA, wiring.chroma())),
            new SimpleMeterRegistry());
    indexer.start();
    Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, wiring.postgres(2));
    retrievers.put(Backend.CHROMA, wiring.chroma());
    api = QueryServer.start("127.0.0.1", 0, wiring.contracts(), retrievers, Backend.POSTGRES, 1);
    publisher = DocumentPublisher.connect(wiring.bootstrap(), wiring.topics());

    write(
        "kafka.md",
        "# Kafka\n\nKafka keeps an ordered, replicated log of records per topic partition.\n\n"
            + "## Consumers\n\nConsumer groups share the partitions of a topic; each partition has one owner in a group.\n");
    write(
        "postgres.md",
        "# PostgreSQL\n\npgvector stores embeddings in a vector column and finds nearest neighbours with an HNSW index.\n");
    write(
        "chroma.md",
        "# Chroma\n\nChroma keeps collections of embeddings with documents and metadata, queried by similarity.\n");
    new FolderPublisher(publisher, "e2e").publish(corpus, index);
  }

  @AfterAll
  static void stopPipeline() {
    if (publisher != null) {
      publisher.close();
    }
    if (api != null) {
      api.close();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (postgres != null) {
      postgres.dropIndex(physical);
      postgres.close();
    }
    if (chroma != null) {
      chroma.dropIndex(physical);
      chroma.close();
    }
  }

  @Test
  @Order(1)
  @DisplayName(
      "published documents are found by the query API on both backends, with the same hits")
  void publishedDocumentsAreSearchableOnBothBackends() {
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(
                      topSource(
                          Backend.POSTGRES, "which index finds nearest neighbours in postgres"))
                  .isEqualTo("postgres.md");
              assertThat(
                      topSource(Backend.CHROMA, "which index finds nearest neighbours in postgres"))
                  .isEqualTo("postgres.md");
            });
    await()
        .atMost(WAIT)
        .untilAsserted(() -> assertThat(chunkIds(chroma)).isEqualTo(chunkIds(postgres)));
    assertThat(chunkIds(postgres)).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  @Order(2)
  @DisplayName("both backends hold the same text and the same vectors for every chunk")
  void backendsHoldIdenticalChunks() {
    for (String id : chunkIds(postgres)) {
      ChunkRecord p = postgres.chunk(physical, id).orElseThrow();
      ChunkRecord c = chroma.chunk(physical, id).orElseThrow();
      assertThat(c.text()).isEqualTo(p.text());
      assertThat(c.documentVersion()).isEqualTo(p.documentVersion());
      assertThat(c.embedding())
          .containsExactly(p.embedding(), org.assertj.core.data.Offset.offset(1e-6f));
    }
  }

  @Test
  @Order(3)
  @DisplayName("an update with fewer chunks and a delete leave no stale chunk in either backend")
  void updatesAndDeletesReachBothBackends() throws Exception {
    String kafkaId = DocumentIds.of(index, "kafka.md");
    String chromaId = DocumentIds.of(index, "chroma.md");
    write("kafka.md", "# Kafka\n\nKafka is a log.\n");
    new FolderPublisher(publisher, "e2e").publish(corpus.resolve("kafka.md"), index);
    publisher.delete(chromaId).join();

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (Retriever backend : List.of(postgres, chroma)) {
                Set<String> ids = chunkIds(backend);
                assertThat(ids).contains(kafkaId + "#0").doesNotContain(kafkaId + "#1");
                assertThat(ids).noneMatch(id -> id.startsWith(chromaId));
                assertThat(backend.chunk(physical, kafkaId + "#0").orElseThrow().text())
                    .contains("Kafka is a log.");
              }
            });
  }

  private static void write(String name, String text) throws Exception {
    Files.writeString(corpus.resolve(name), text);
  }

  private static Set<String> chunkIds(Retriever backend) {
    float[] probe = new float[384];
    probe[0] = 1;
    List<SearchHit> hits =
        backend.vectorSearch(physical, new VectorQuery(probe, 100, 0, Filter.ALL));
    return hits.stream().map(h -> h.chunk().chunkId()).collect(Collectors.toSet());
  }

  private static String topSource(Backend backend, String query) throws Exception {
    String body =
        JSON.createObjectNode()
            .put("query", query)
            .put("index", index)
            .put("backend", backend.id())
            .toString();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.port() + "/query"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode results = JSON.readTree(response.body()).path("results");
    assertThat(results).isNotEmpty();
    return results.get(0).path("source").asText();
  }
}
