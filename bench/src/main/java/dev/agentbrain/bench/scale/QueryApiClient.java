package dev.agentbrain.bench.scale;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code POST /query} against a query API, as a client sends it, for the benchmarks. */
final class QueryApiClient {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
  private final URI query;

  QueryApiClient(int port) {
    this.query = URI.create("http://127.0.0.1:" + port + "/query");
  }

  /**
   * Searches {@code index} on {@code backend} ({@code postgres} or {@code chroma}) in {@code mode}
   * for the first {@code topK} results; returns the response body.
   *
   * @throws IllegalStateException when the API answers anything but 200, with its answer
   */
  String search(String index, String backend, String mode, String text, int topK) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("query", text);
    body.put("index", index);
    body.put("backend", backend);
    body.put("mode", mode);
    body.put("top_k", topK);
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(query)
                  .timeout(Duration.ofSeconds(60))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw new IllegalStateException(
            "POST %s answered %d: %s".formatted(query, response.statusCode(), response.body()));
      }
      return response.body();
    } catch (IOException e) {
      throw new UncheckedIOException("POST " + query + " failed; is the query API running?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for " + query, e);
    }
  }
}
