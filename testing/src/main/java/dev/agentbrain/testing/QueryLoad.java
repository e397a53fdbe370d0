package dev.agentbrain.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Concurrent clients against the query API: each sends {@code POST /query} with a query and mode
 * drawn at random (a quarter of the queries made unique, so that they miss the query cache), one
 * after the other, until it has sent its share or the time is up. A client told 429 or 503 waits
 * the {@code Retry-After} seconds it was given before its next request, as a well-behaved client
 * does. Every request is counted: by status, or as unanswered when no HTTP answer came back at all
 * (connection refused or reset, timeout).
 */
public final class QueryLoad {

  /** Queries about the docs corpus (OpenSearch documentation), short and long. */
  static final List<String> QUERIES =
      List.of(
          "how do I create an index",
          "bulk indexing documents",
          "configure index shards and replicas",
          "k-NN vector search with HNSW",
          "how to take a snapshot of a cluster",
          "security plugin roles and users",
          "query DSL match phrase",
          "aggregations terms histogram",
          "index templates and aliases",
          "cluster health is yellow what does it mean",
          "ingest pipeline processors",
          "search relevance BM25 scoring",
          "upgrade a cluster with rolling restart",
          "dashboards visualizations",
          "tune refresh interval for faster indexing",
          "cross-cluster replication setup",
          "anomaly detection detectors",
          "SQL and PPL query languages",
          "neural search with a text embedding model",
          "how to delete documents by query");

  private static final List<String> MODES = List.of("vector", "bm25", "hybrid", "rrf");
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * What a load run measured.
   *
   * @param statuses requests by HTTP status
   * @param unanswered requests that got no HTTP answer, by exception class
   * @param okMillis latencies of 200 answers, sorted
   * @param allMillis latencies of every answered request, sorted
   */
  public record Report(
      Map<Integer, Integer> statuses,
      Map<String, Integer> unanswered,
      List<Double> okMillis,
      List<Double> allMillis,
      double seconds) {

    public int requests() {
      return statuses.values().stream().mapToInt(Integer::intValue).sum()
          + unanswered.values().stream().mapToInt(Integer::intValue).sum();
    }

    /** 5xx answers other than 503 (the deliberate "try again later"). */
    public int unexpectedServerErrors() {
      return statuses.entrySet().stream()
          .filter(e -> e.getKey() >= 500 && e.getKey() != 503)
          .mapToInt(Map.Entry::getValue)
          .sum();
    }

    public static double percentile(List<Double> sorted, double p) {
      if (sorted.isEmpty()) {
        return Double.NaN;
      }
      int rank = (int) Math.ceil(p / 100 * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    public String summary() {
      return String.format(
          Locale.ROOT,
          "%d requests in %.1f s (%.1f/s); statuses %s; unanswered %s; 200s p50 %.1f ms, p90 %.1f"
              + " ms, p99 %.1f ms, max %.1f ms; all answers p50 %.1f ms, p99 %.1f ms",
          requests(),
          seconds,
          requests() / seconds,
          statuses,
          unanswered,
          percentile(okMillis, 50),
          percentile(okMillis, 90),
          percentile(okMillis, 99),
          okMillis.isEmpty() ? Double.NaN : okMillis.get(okMillis.size() - 1),
          percentile(allMillis, 50),
          percentile(allMillis, 99));
    }
  }

  private final URI endpoint;
  private final String index;
  private final String token;
  private final HttpClient http;

  /**
   * @param baseUrl the API, e.g. {@code http://127.0.0.1:18888}
   * @param token bearer token, or blank for none
   */
  public QueryLoad(String baseUrl, String index, String token) {
    this.endpoint = URI.create(baseUrl + "/query");
    this.index = index;
    this.token = token;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  /**
   * Runs {@code clients} clients until together they sent {@code maxRequests} or {@code duration}
   * passed, whichever comes first.
   */
  public Report run(int clients, int maxRequests, Duration duration) throws InterruptedException {
    Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
    Map<String, Integer> unanswered = new ConcurrentHashMap<>();
    ConcurrentLinkedQueue<Double> ok = new ConcurrentLinkedQueue<>();
    ConcurrentLinkedQueue<Double> all = new ConcurrentLinkedQueue<>();
    AtomicInteger budget = new AtomicInteger(maxRequests);
    long started = System.nanoTime();
    long deadline = started + duration.toNanos();
    try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int c = 0; c < clients; c++) {
        pool.submit(
            () -> {
              while (System.nanoTime() < deadline && budget.getAndDecrement() > 0) {
                long sent = System.nanoTime();
                try {
                  HttpResponse<String> response =
                      http.send(request(), HttpResponse.BodyHandlers.ofString());
                  double millis = (System.nanoTime() - sent) / 1e6;
                  statuses.merge(response.statusCode(), 1, Integer::sum);
                  all.add(millis);
                  if (response.statusCode() == 200) {
                    ok.add(millis);
                  } else if (response.statusCode() == 429 || response.statusCode() == 503) {
                    long wait = response.headers().firstValueAsLong("Retry-After").orElse(1);
                    Thread.sleep(Duration.ofSeconds(wait));
                  }
                } catch (IOException e) {
                  unanswered.merge(e.getClass().getSimpleName(), 1, Integer::sum);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                  return null;
                }
              }
              return null;
            });
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    return new Report(
        new TreeMap<>(statuses), new TreeMap<>(unanswered), sorted(ok), sorted(all), seconds);
  }

  private HttpRequest request() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    String query = QUERIES.get(random.nextInt(QUERIES.size()));
    // a quarter of the queries are new to the server, so the model embeds under load too
    if (random.nextInt(4) == 0) {
      query = query + " " + random.nextInt(1_000_000);
    }
    ObjectNode body =
        JSON.createObjectNode()
            .put("query", query)
            .put("mode", MODES.get(random.nextInt(MODES.size())))
            .put("top_k", 10)
            .put("index", index);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(endpoint)
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (token != null && !token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    return request.build();
  }

  private static List<Double> sorted(ConcurrentLinkedQueue<Double> values) {
    List<Double> list = new ArrayList<>(values);
    Collections.sort(list);
    return list;
  }
}
