package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Backend;
import dev.agentbrain.indexer.IndexerService;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
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

  private static IsolatedPipeline pipeline;
  private static String index;
  private static String physical;
  private static IndexerService indexer;
  private static QueryServer api;
  private static PostgresStore postgres;
  private static ChromaStore chroma;
  private static DocumentPublisher publisher;

  @BeforeAll
  static void startPipeline() throws Exception {
    pipeline = IsolatedPipeline.start("e2e", 3);
    index = pipeline.index;
    physical = pipeline.physical;
    postgres = pipeline.postgres;
    chroma = pipeline.chroma;
    Wiring wiring = pipeline.wiring;
    indexer = pipeline.indexer(state);
    indexer.start();
    Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, wiring.postgres(2));
    retrievers.put(Backend.CHROMA, wiring.chroma());
    api = QueryServer.builder(wiring.contracts(), retrievers).primary(Backend.POSTGRES).start();
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
    if (pipeline != null) {
      pipeline.close();
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
                  .isEqualTo(corpus.getFileName() + "/postgres.md");
              assertThat(
                      topSource(Backend.CHROMA, "which index finds nearest neighbours in postgres"))
                  .isEqualTo(corpus.getFileName() + "/postgres.md");
            });
    // every document (3 files, one chunk or more each) in both backends, the same chunks in each
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              assertThat(chunkIds(postgres)).hasSizeGreaterThanOrEqualTo(3);
              assertThat(chunkIds(chroma)).isEqualTo(chunkIds(postgres));
            });
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
    String kafkaId = DocumentIds.inFolder(index, corpus.getFileName().toString(), "kafka.md");
    String chromaId = DocumentIds.inFolder(index, corpus.getFileName().toString(), "chroma.md");
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
