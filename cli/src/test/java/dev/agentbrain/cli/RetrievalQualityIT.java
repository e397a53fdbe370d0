package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.config.Backend;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.testing.BeirDataset;
import dev.agentbrain.testing.RankingMetrics;
import dev.agentbrain.topics.SinkLag;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The quality gate (issue 18): a fixed SciFact sample through the real pipeline and the real query
 * path must keep the nDCG@10 recorded here, in every mode, on both backends. The first {@link
 * #QUERIES} test queries of SciFact, every document judged relevant to them and, up to {@link
 * #DOCUMENTS}, the documents relevant to the test queries after them (real answers to other claims
 * of the same field) are published as Markdown files (title as heading), indexed with the default
 * model into a user's default chunk size on both backends, and asked through {@code POST /query}
 * with {@code top_k} 100 and the API's defaults; each document counts at the rank of its best
 * chunk. A drop of more than {@link #TOLERANCE} below the recorded value fails.
 *
 * <p>To see it fail on a worse setting, pass request fields: {@code -Dquality.alpha=0} or {@code
 * -Dquality.rrf_k=1000} are sent with every hybrid or rrf request.
 */
class RetrievalQualityIT {

  private static final int QUERIES = 30;
  private static final int DOCUMENTS = 200;
  private static final int TOP_K = 100;
  private static final double TOLERANCE = 0.01;
  private static final Duration WAIT = Duration.ofSeconds(180);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String FOLDER = "scifact/";

  /**
   * nDCG@10 measured with the API's defaults when the gate was last set, by backend and mode (model
   * bge-small-en-v1.5-q, chunks of 400 tokens embedded with chunk context; hybrid alpha 0.95 on
   * L2-normalised scores with the statistics of each ranking's first 100, its query embedded
   * without the model's instruction; rrf k 10 with the vector ranking weighted 2).
   */
  private static final Map<String, Map<String, Double>> RECORDED =
      Map.of(
          "postgres", Map.of("bm25", 0.8878, "vector", 0.9329, "hybrid", 0.9492, "rrf", 0.9403),
          "chroma", Map.of("bm25", 0.8890, "vector", 0.9329, "hybrid", 0.9492, "rrf", 0.9403));

  @TempDir Path state;
  @TempDir Path home;

  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void everyModeOnBothBackendsKeepsItsRecordedQuality() throws Exception {
    BeirDataset test = BeirDataset.read(BeirDataset.locate("scifact"), "test");
    Map<String, String> queries = new LinkedHashMap<>();
    test.queries().entrySet().stream()
        .limit(QUERIES)
        .forEach(q -> queries.put(q.getKey(), q.getValue()));
    List<BeirDataset.Document> sample = sample(test, queries.keySet());

    try (IsolatedPipeline pipeline =
        IsolatedPipeline.startAsUsersIndex("quality", 1, EmbeddingModels.DEFAULT_MODEL)) {
      List<DocumentEvent> documents = new ArrayList<>();
      for (BeirDataset.Document document : sample) {
        documents.add(pipeline.document(FOLDER + document.id() + ".md", document.markdown()));
      }
      int chunks = pipeline.chunkCount(documents);
      try (IndexerService indexer = pipeline.indexer(state);
          ServeCommand.Serving serving = pipeline.serve(home, Map.of())) {
        indexer.start();
        try (DocumentPublisher publisher = pipeline.publisher()) {
          publisher.publishAll(documents);
        }
        IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(chunks));
        // Chroma holds a chunk before its sink commits the offset, and the keyword index feed
        // applies only what that sink has committed: "0 behind" is only meaningful once the sink
        // has committed the whole topic, and after a feed step (a poll of at most 0.5 s) has seen
        // it
        try (SinkLag lag = new SinkLag(pipeline.wiring.bootstrap(), pipeline.wiring.topics())) {
          IsolatedPipeline.awaitBackends(WAIT)
              .until(() -> lag.caughtUp(Backend.CHROMA, lag.endOffsets()));
        }
        String api = "http://127.0.0.1:" + serving.server().port();
        await()
            .pollDelay(Duration.ofSeconds(2))
            .atMost(WAIT)
            .until(
                () -> {
                  JsonNode chroma = get(api + "/health").path("keyword_search").path("chroma");
                  return chroma.path("ready").asBoolean() && chroma.path("behind").asLong() == 0;
                });

        Map<String, Map<String, Double>> measured = new LinkedHashMap<>();
        for (String backend : List.of("postgres", "chroma")) {
          for (String mode : List.of("bm25", "vector", "hybrid", "rrf")) {
            double sum = 0;
            for (Map.Entry<String, String> query : queries.entrySet()) {
              List<String> ranked = ask(api, pipeline.index, backend, mode, query.getValue());
              sum += RankingMetrics.ndcg(ranked, test.judgments().get(query.getKey()), 10);
            }
            measured
                .computeIfAbsent(backend, b -> new LinkedHashMap<>())
                .put(mode, sum / queries.size());
          }
        }
        System.out.printf(
            "RetrievalQualityIT: %d documents, %d chunks, %d queries; nDCG@10 measured"
                + " (recorded):%n",
            sample.size(), chunks, queries.size());
        measured.forEach(
            (backend, modes) ->
                modes.forEach(
                    (mode, ndcg) ->
                        System.out.printf(
                            "  %-8s %-6s %.4f (%.4f)%n",
                            backend, mode, ndcg, RECORDED.get(backend).get(mode))));
        List<String> drops = new ArrayList<>();
        measured.forEach(
            (backend, modes) ->
                modes.forEach(
                    (mode, ndcg) -> {
                      double recorded = RECORDED.get(backend).get(mode);
                      if (ndcg < recorded - TOLERANCE) {
                        drops.add(
                            "%s on %s: nDCG@10 %.4f, recorded %.4f"
                                .formatted(mode, backend, ndcg, recorded));
                      }
                    }));
        assertThat(drops)
            .as("modes whose nDCG@10 dropped more than %.2f below the recorded value", TOLERANCE)
            .isEmpty();
      }
    }
  }

  /**
   * The relevant documents of the queries, then those of the later test queries, until {@link
   * #DOCUMENTS}; in corpus order.
   */
  private static List<BeirDataset.Document> sample(BeirDataset test, Set<String> queries) {
    Set<String> ids = new LinkedHashSet<>();
    queries.forEach(q -> ids.addAll(test.judgments().get(q).keySet()));
    for (Map<String, Integer> judged : test.judgments().values()) {
      for (String id : judged.keySet()) {
        if (ids.size() < DOCUMENTS) {
          ids.add(id);
        }
      }
    }
    List<BeirDataset.Document> sample =
        test.documents().stream().filter(d -> ids.contains(d.id())).toList();
    assertThat(sample).as("sample documents found in the corpus").hasSize(ids.size());
    return sample;
  }

  /** SciFact ids of the documents a top_k 100 request returns, each at its best chunk. */
  private List<String> ask(String api, String index, String backend, String mode, String query)
      throws Exception {
    ObjectNode body =
        JSON.createObjectNode()
            .put("query", query)
            .put("index", index)
            .put("backend", backend)
            .put("mode", mode)
            .put("top_k", TOP_K);
    if (mode.equals("hybrid") && System.getProperty("quality.alpha") != null) {
      body.put("alpha", Double.parseDouble(System.getProperty("quality.alpha")));
    }
    if (mode.equals("rrf") && System.getProperty("quality.rrf_k") != null) {
      body.put("rrf_k", Integer.parseInt(System.getProperty("quality.rrf_k")));
    }
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(api + "/query"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode())
        .as("%s on %s: %s", mode, backend, response.body())
        .isEqualTo(200);
    List<String> documents = new ArrayList<>();
    for (JsonNode hit : JSON.readTree(response.body()).path("results")) {
      String source = hit.path("source").asText();
      String id = source.substring(FOLDER.length(), source.length() - ".md".length());
      if (!documents.contains(id)) {
        documents.add(id);
      }
    }
    return documents;
  }

  private JsonNode get(String url) throws Exception {
    return JSON.readTree(
        http.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString())
            .body());
  }
}
