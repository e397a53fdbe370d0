package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.cli.lifecycle.PromotionCheck;
import dev.agentbrain.cli.lifecycle.Switchover;
import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.reindex.ReindexStatus;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.topics.GroupProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replaying the document log into a new index version, against the real local services: a model
 * change with other dimensions under writes and continuous queries, the switch-over and the
 * rollback; and a same-model replay served from the shared embedding cache.
 */
class ReindexIT {

  private static final Logger LOG = LoggerFactory.getLogger(ReindexIT.class);
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path liveState;
  @TempDir Path reindexState;

  /** One answer of the query API while the test ran. */
  private record Answer(Instant at, int status, int indexVersion, String body) {}

  @Test
  @DisplayName(
      "a reindex to a model with other dimensions, while documents are published and queries run,"
          + " switches over with no failed query, finds the new documents, and rolls back")
  void reindexToAnotherModelWithoutDowntime() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("reindex", 2);
        WordHashEmbeddingServer modelB = WordHashEmbeddingServer.start();
        DocumentPublisher publisher = pipeline.publisher()) {
      Wiring wiring = pipeline.wiring;
      ContractRegistry contracts = wiring.contracts();
      String index = pipeline.index;
      IndexerService live = pipeline.indexer(liveState);
      live.start();
      List<DocumentEvent> initial = pipeline.documents(24, 1);
      int v1Chunks = indexed(pipeline, publisher, initial);

      Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
      retrievers.put(Backend.POSTGRES, wiring.postgres(2));
      retrievers.put(Backend.CHROMA, wiring.chroma());
      ConcurrentLinkedQueue<Answer> answers = new ConcurrentLinkedQueue<>();
      AtomicBoolean querying = new AtomicBoolean(true);
      IndexerService reindex = null;
      String physicalV2 = ContractRegistry.physicalName(index, 2);
      try (Admin admin = wiring.admin();
          QueryServer api =
              QueryServer.builder(contracts, retrievers)
                  .primary(Backend.POSTGRES)
                  .status(ReindexStatus.of(contracts, admin, wiring.topics(), retrievers))
                  .start()) {
        Thread queries =
            Thread.ofPlatform()
                .name("queries")
                .start(() -> queryContinuously(api.port(), index, querying, answers));

        EmbeddingContract v2 =
            contracts.register(
                IndexContracts.draft(
                    index, WordHashEmbeddingServer.MODEL, "english", 100, 10, null));
        assertThat(v2.getDimensions()).isEqualTo(WordHashEmbeddingServer.DIMENSIONS);
        Switchover.prepareBulkLoad(wiring, v2); // as the reindex command does: HNSW built later
        String applicationId = wiring.topics().reindexApplicationId(index, 2);
        reindex = reindex(wiring, v2, applicationId);
        reindex.start();

        // published while the reindex runs: eight new documents and an update of an old one
        List<DocumentEvent> during = pipeline.documents(32, 2).subList(24, 32);
        during.forEach(publisher::publish);
        DocumentEvent updated = updated(initial.get(0), "Rewritten while the model changes.");
        publisher.publish(updated);
        publisher.flush();

        // the query API shows the reindex's progress, read from Kafka and the backends
        IsolatedPipeline.awaitBackends(WAIT)
            .untilAsserted(
                () -> {
                  JsonNode progress = get(api.port(), "/indexes/" + index).path("reindex").path(0);
                  assertThat(progress.path("version").asInt()).isEqualTo(2);
                  assertThat(progress.path("documents_total").asLong()).isEqualTo(33);
                  assertThat(progress.path("caught_up").asBoolean()).isTrue();
                  assertThat(progress.path("chunks").path("postgres").asLong()).isPositive();
                });
        assertThat(
                get(api.port(), "/health/status")
                    .path("reindex")
                    .path(index)
                    .path(0)
                    .path("version")
                    .asInt())
            .isEqualTo(2);

        assertThat(hasVectorIndex(pipeline, physicalV2))
            .as("v2 is bulk-loaded without its HNSW index")
            .isFalse();

        IsolatedPipeline.awaitBackends(WAIT)
            .pollInterval(Duration.ofSeconds(2))
            .until(() -> Switchover.promote(wiring, index, 2).passed());
        assertThat(get(api.port(), "/indexes/" + index).has("reindex"))
            .as("no version in progress once v2 is live")
            .isFalse();
        assertThat(contracts.live(index).orElseThrow().getVersion()).isEqualTo(2);
        assertThat(hasVectorIndex(pipeline, physicalV2))
            .as("the promote built the HNSW index of the bulk-loaded version")
            .isTrue();

        // the query API serves v2 within its contract cache time, with the new documents
        String newText = firstChunkText(pipeline, during.get(3), v2);
        IsolatedPipeline.awaitBackends(Duration.ofSeconds(30))
            .untilAsserted(
                () -> {
                  for (Backend backend : Backend.values()) {
                    JsonNode answer = query(api.port(), index, newText, backend);
                    assertThat(answer.path("index_version").asInt()).isEqualTo(2);
                    assertThat(answer.path("results").path(0).path("source").asText())
                        .isEqualTo(during.get(3).getSource());
                  }
                });
        JsonNode rewritten =
            query(api.port(), index, "Rewritten while the model changes.", Backend.CHROMA);
        assertThat(rewritten.path("results").path(0).path("source").asText())
            .isEqualTo(updated.getSource());

        // after the switch the live indexer writes v2: a document published now lands there
        DocumentEvent afterPromote = pipeline.documents(33, 3).get(32);
        publisher.publish(afterPromote);
        publisher.flush();
        String afterText = firstChunkText(pipeline, afterPromote, v2);
        IsolatedPipeline.awaitBackends(WAIT)
            .untilAsserted(
                () ->
                    assertThat(
                            query(api.port(), index, afterText, Backend.POSTGRES)
                                .path("results")
                                .path(0)
                                .path("source")
                                .asText())
                        .isEqualTo(afterPromote.getSource()));

        Switchover.Rollback rollback = Switchover.rollback(wiring, index);
        assertThat(rollback.from()).isEqualTo(2);
        assertThat(rollback.to()).isEqualTo(1);
        assertThat(rollback.missedDocuments())
            .as("documents published after v1 stopped serving")
            .isEqualTo(1);
        IsolatedPipeline.awaitBackends(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(
                            query(api.port(), index, "kafka partition", Backend.CHROMA)
                                .path("index_version")
                                .asInt())
                        .isEqualTo(1));

        querying.set(false);
        queries.join();
      } finally {
        querying.set(false);
        if (reindex != null) {
          reindex.close();
        }
        live.close();
        retrievers.values().forEach(Retriever::close);
        pipeline.postgres.dropIndex(physicalV2);
        pipeline.chroma.dropIndex(physicalV2);
      }

      List<Answer> failed =
          answers.stream()
              .filter(a -> a.status() != 200 || a.body().contains("dimension"))
              .toList();
      assertThat(failed).as("queries that failed during the reindex and switch-overs").isEmpty();
      assertThat(answers)
          .extracting(Answer::indexVersion)
          .as("the queries ran before, during and after the switch-over")
          .contains(1, 2);
      LOG.info(
          "{} queries answered during the reindex, switch-over and rollback, none failed",
          answers.size());
    }
  }

  @Test
  @DisplayName(
      "a reindex stopped part-way resumes from its committed offsets and state, and ends with every"
          + " document of the log in the new version")
  void stoppedReindexResumes() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("resume", 2);
        DocumentPublisher publisher = pipeline.publisher()) {
      Wiring wiring = pipeline.wiring;
      ContractRegistry contracts = wiring.contracts();
      IndexerService live = pipeline.indexer(liveState);
      String physicalV2 = ContractRegistry.physicalName(pipeline.index, 2);
      try {
        live.start();
        List<DocumentEvent> documents = pipeline.documents(60, 5);
        int v1Chunks = indexed(pipeline, publisher, documents);

        // another model, so that the replay embeds for a while and can be stopped part-way
        EmbeddingContract v2 =
            contracts.register(
                IndexContracts.draft(
                    pipeline.index, "bge-small-en-v1.5-q", "english", 100, 10, null));
        String applicationId = wiring.topics().reindexApplicationId(pipeline.index, 2);
        try (IndexerService first = reindex(wiring, v2, applicationId)) {
          first.start();
          IsolatedPipeline.awaitBackends(WAIT).until(() -> first.metrics().chunksEmitted() >= 16);
        }
        try (Admin admin = wiring.admin()) {
          assertThat(
                  GroupProgress.of(admin, applicationId, wiring.topics().documents().name())
                      .caughtUp())
              .as("stopped before the end of the log")
              .isFalse();
        }

        try (IndexerService second = reindex(wiring, v2, applicationId)) {
          second.start();
          List<Wiring.BackendStore> stores =
              List.of(wiring.store(Backend.POSTGRES), wiring.store(Backend.CHROMA));
          try {
            IsolatedPipeline.awaitBackends(WAIT)
                .pollInterval(Duration.ofSeconds(2))
                .until(() -> PromotionCheck.verify(wiring, v2, stores).passed());
          } finally {
            stores.forEach(Wiring.BackendStore::close);
          }
          long stored = pipeline.postgres.count(physicalV2, dev.agentbrain.storage.Filter.ALL);
          assertThat(second.metrics().chunksEmitted())
              .as("the resumed run did not start over")
              .isLessThan(stored);
        }

        // `agent-brain index drop` of that version leaves nothing of the reindex in Kafka
        assertThat(Switchover.forgetReindex(wiring, pipeline.index, 2))
            .as("the reindex's changelog topics")
            .isNotEmpty();
        try (Admin admin = wiring.admin()) {
          IsolatedPipeline.awaitBackends(Duration.ofSeconds(30))
              .untilAsserted(
                  () ->
                      assertThat(admin.listTopics().names().get())
                          .noneMatch(name -> name.startsWith(applicationId + "-")));
          assertThat(admin.listGroups().all().get())
              .noneMatch(group -> group.groupId().equals(applicationId));
        }
      } finally {
        live.close();
        pipeline.postgres.dropIndex(physicalV2);
        pipeline.chroma.dropIndex(physicalV2);
      }
    }
  }

  @Test
  @DisplayName(
      "an in-place rebuild drops the live version under a running indexer, and the replay restores"
          + " every chunk without a dead letter")
  void inPlaceRebuildRestoresTheLiveVersion() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("rebuild", 2);
        DocumentPublisher publisher = pipeline.publisher()) {
      Wiring wiring = pipeline.wiring;
      IndexerService live = pipeline.indexer(liveState);
      try {
        live.start();
        List<DocumentEvent> documents = pipeline.documents(20, 9);
        int chunks = indexed(pipeline, publisher, documents);

        // what `agent-brain reindex --force-reindex --yes` does
        Switchover.drop(wiring, pipeline.physical);
        assertThat(pipeline.counts()).isEqualTo(new IsolatedPipeline.Counts(0, 0));
        try (IndexerService rebuild =
            reindex(
                wiring,
                pipeline.contract,
                wiring.topics().reindexApplicationId(pipeline.index, 1) + "-rebuild-1")) {
          rebuild.start();
          IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(chunks));
        }
        assertThat(
                TopicContents.read(
                    wiring.bootstrap(), wiring.topics().deadLetters(), TopicContents.ALL))
            .as("dead letters")
            .isEmpty();
      } finally {
        live.close();
      }
    }
  }

  @Test
  @DisplayName(
      "a replay of the same log with the same model is served from the shared embedding cache")
  void sameModelReplayComesFromTheCache() throws Exception {
    try (IsolatedPipeline pipeline = IsolatedPipeline.start("recache", 2);
        DocumentPublisher publisher = pipeline.publisher()) {
      Wiring wiring = pipeline.wiring;
      ContractRegistry contracts = wiring.contracts();
      IndexerService live = pipeline.indexer(liveState);
      live.start();
      List<DocumentEvent> documents = pipeline.documents(30, 7);
      int chunks = indexed(pipeline, publisher, documents);

      // a new version with the same model but another text-search language: same chunks
      EmbeddingContract v2 =
          contracts.register(
              IndexContracts.draft(
                  pipeline.index, IsolatedPipeline.FAST_MODEL, "simple", 100, 10, null));
      String applicationId = wiring.topics().reindexApplicationId(pipeline.index, 2);
      long started = System.nanoTime();
      try (IndexerService reindex = reindex(wiring, v2, applicationId);
          Admin admin = wiring.admin()) {
        reindex.start();
        IsolatedPipeline.awaitBackends(WAIT)
            .until(
                () ->
                    GroupProgress.of(admin, applicationId, wiring.topics().documents().name())
                            .caughtUp()
                        && reindex.metrics().chunksEmitted() >= chunks);
        double seconds = (System.nanoTime() - started) / 1e9;
        double hits = reindex.metrics().cacheHits();
        double emitted = reindex.metrics().chunksEmitted();
        LOG.info(
            "same-model replay: {} of {} chunks from the shared cache ({}%), {} embedded, {} s",
            (long) hits,
            (long) emitted,
            String.format("%.1f", 100 * hits / emitted),
            (long) reindex.metrics().textsEmbedded(),
            String.format("%.1f", seconds));
        assertThat(emitted).isEqualTo(chunks);
        assertThat(hits / emitted).as("cache hits / chunks").isGreaterThanOrEqualTo(0.95);
      } finally {
        live.close();
        String physicalV2 = ContractRegistry.physicalName(pipeline.index, 2);
        pipeline.postgres.dropIndex(physicalV2);
        pipeline.chroma.dropIndex(physicalV2);
      }
    }
  }

  /** Publishes the documents and waits until the live indexer has stored them in both backends. */
  private static int indexed(
      IsolatedPipeline pipeline, DocumentPublisher publisher, List<DocumentEvent> documents) {
    documents.forEach(publisher::publish);
    publisher.flush();
    int chunks = pipeline.expectedChunks(documents).size();
    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(chunks));
    return chunks;
  }

  /** A reindex into {@code version}, its Streams state in this test's reindex folder. */
  private IndexerService reindex(Wiring wiring, EmbeddingContract version, String applicationId) {
    return IndexerService.reindex(
        new IndexerService.Options(
            wiring.bootstrap(), reindexState, 2, IsolatedPipeline.TEST_BATCHES, 1_000_000),
        wiring.topics(),
        wiring.contracts(),
        version,
        applicationId,
        new SimpleMeterRegistry());
  }

  private static DocumentEvent updated(DocumentEvent document, String content) {
    return DocumentEvent.newBuilder(document)
        .setContent("# Updated\n\n" + content + "\n")
        .setContentHash(ContentHash.sha256(content))
        .setVersion(document.getVersion() + 1)
        .setPublishedAt(Instant.now())
        .build();
  }

  /** The text the indexer makes of the document's first chunk under the contract. */
  private static String firstChunkText(
      IsolatedPipeline pipeline, DocumentEvent document, EmbeddingContract contract) {
    try (dev.agentbrain.indexer.ModelPool models = new dev.agentbrain.indexer.ModelPool(1)) {
      return new dev.agentbrain.indexer.TokenSplitter(models)
          .split(document, contract)
          .get(0)
          .text();
    }
  }

  /** Queries the API in a loop, alternating backends, until told to stop; keeps every answer. */
  private static void queryContinuously(
      int port, String index, AtomicBoolean running, ConcurrentLinkedQueue<Answer> answers) {
    HttpClient http = HttpClient.newHttpClient();
    List<String> texts =
        List.of("kafka partition offset", "vector embedding index", "schema registry contract");
    int i = 0;
    while (running.get()) {
      Backend backend = Backend.values()[i % 2];
      String body =
          JSON.createObjectNode()
              .put("query", texts.get(i % texts.size()))
              .put("index", index)
              .put("backend", backend.id())
              // keyword ranking is PostgreSQL's: local Chroma has no BM25 index
              .put("mode", backend == Backend.POSTGRES && i % 4 == 0 ? "hybrid" : "vector")
              .toString();
      i++;
      try {
        HttpResponse<String> response =
            http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        int version =
            response.statusCode() == 200
                ? JSON.readTree(response.body()).path("index_version").asInt()
                : -1;
        answers.add(new Answer(Instant.now(), response.statusCode(), version, response.body()));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        answers.add(new Answer(Instant.now(), -1, -1, String.valueOf(e)));
      }
      LockSupport.parkNanos(50_000_000L); // a steady stream of queries, not a load test
    }
  }

  private static boolean hasVectorIndex(IsolatedPipeline pipeline, String physical)
      throws Exception {
    Wiring wiring = pipeline.wiring;
    try (var connection =
            java.sql.DriverManager.getConnection(
                wiring.settings.get(dev.agentbrain.config.Settings.PG_URL),
                wiring.settings.get(dev.agentbrain.config.Settings.PG_USER),
                wiring.settings.get(dev.agentbrain.config.Settings.PG_PASSWORD));
        var rows =
            connection
                .createStatement()
                .executeQuery(
                    "SELECT count(*) FROM pg_indexes WHERE indexname = 'chunks_"
                        + physical
                        + "_hnsw'")) {
      rows.next();
      return rows.getInt(1) == 1;
    }
  }

  private static JsonNode get(int port, String path) throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }

  private static JsonNode query(int port, String index, String text, Backend backend)
      throws Exception {
    String body =
        JSON.createObjectNode()
            .put("query", text)
            .put("index", index)
            .put("backend", backend.id())
            .put("top_k", 3)
            .toString();
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/query"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return JSON.readTree(response.body());
  }
}
