package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Settings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls the query API for the commands that work through it ({@code folders}, {@code jobs}): the
 * address from {@link QueryApiAddress}, the admin token when set (else the read token), and the
 * API's {@code detail} as the message of a refusal.
 */
final class ApiClient {

  /** The query API did not answer at all. */
  static final class UnreachableException extends RuntimeException {
    UnreachableException(String message) {
      super(message);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final String base;
  private final String token;

  ApiClient(QueryApiAddress address, Settings settings) {
    this.base = address.base(settings);
    String admin = settings.get(Settings.API_ADMIN_TOKEN);
    this.token = admin.isBlank() ? settings.get(Settings.API_TOKEN) : admin;
  }

  /**
   * Sends a request without a body and returns the JSON answer of a 2xx.
   *
   * @param timeout how long the answer may take (long for a request that waits for a job)
   * @throws UnreachableException when nothing answers at the address
   * @throws IllegalArgumentException with the API's detail for a 4xx
   * @throws IllegalStateException with the API's detail for a 5xx
   */
  JsonNode send(String method, String pathAndQuery, Duration timeout) {
    URI url = URI.create(base + pathAndQuery);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(url)
            .timeout(timeout)
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (!token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UnreachableException(
          "the query API is not reachable at " + base + " (start it with `agent-brain serve`)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
    JsonNode body;
    try {
      body = JSON.readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          "the query API at " + base + " answered " + response.statusCode() + " without JSON");
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      return body;
    }
    String detail = body.path("detail").asText("HTTP " + status);
    if (status == 401 || status == 403) {
      detail += " (the token comes from AGENT_BRAIN_API_ADMIN_TOKEN or AGENT_BRAIN_API_TOKEN)";
    }
    if (status / 100 == 4) {
      throw new IllegalArgumentException(detail);
    }
    throw new IllegalStateException(detail);
  }
}
