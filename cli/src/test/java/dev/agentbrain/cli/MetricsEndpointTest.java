package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.query.ApiAuth;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MetricsEndpointTest {

  private static final String TOKEN = "metrics-test-token-01";

  @Test
  @DisplayName(
      "with the API's token set, the indexer's /metrics needs it (401 without); /health stays open")
  void metricsNeedTheApiToken() throws Exception {
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    meters.counter("agentbrain.test.scraped").increment();
    IndexerHealth up =
        new IndexerHealth(true, new IndexerHealth.Stream("RUNNING", true), List.of());
    try (MetricsEndpoint open =
            MetricsEndpoint.start("127.0.0.1", 0, meters, () -> up, ApiAuth.NONE);
        MetricsEndpoint secured =
            MetricsEndpoint.start("127.0.0.1", 0, meters, () -> up, ApiAuth.of(TOKEN, ""));
        HttpClient http = HttpClient.newHttpClient()) {
      assertThat(get(http, open.port(), "/metrics", null).body())
          .contains("agentbrain_test_scraped");

      HttpResponse<String> refused = get(http, secured.port(), "/metrics", null);
      assertThat(refused.statusCode()).isEqualTo(401);
      assertThat(refused.body()).contains("Authorization: Bearer").doesNotContain("agentbrain_");
      assertThat(get(http, secured.port(), "/metrics", "wrong-token-xxxxxxxx").statusCode())
          .isEqualTo(401);
      HttpResponse<String> scraped = get(http, secured.port(), "/metrics", TOKEN);
      assertThat(scraped.statusCode()).isEqualTo(200);
      assertThat(scraped.body()).contains("agentbrain_test_scraped");
      assertThat(get(http, secured.port(), "/health", null).statusCode()).isEqualTo(200);
    }
  }

  private static HttpResponse<String> get(HttpClient http, int port, String path, String token)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }
}
