package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.config.Settings;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Search an index through the query API and print the hits.",
      "Exit codes: 0 results found, 1 no results, 2 bad request, 3 the API is unreachable."
    })
final class QueryCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "TEXT", description = "what to search for")
  String text;

  @Option(
      names = "--index",
      defaultValue = "docs",
      description = "logical index (default: ${DEFAULT-VALUE})")
  String index;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "hits to show (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(names = "--mode", defaultValue = "vector", description = "vector (default)")
  String mode;

  @Option(
      names = "--backend",
      description = "ask this backend instead of the configured one: postgres or chroma")
  String backend;

  @Option(names = "--json", description = "print the API's JSON response")
  boolean json;

  @Option(
      names = "--url",
      description = "query API base URL (default: from AGENT_BRAIN_API_HOST/PORT)")
  String url;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    String base =
        url != null
            ? url
            : "http://"
                + wiring.settings.get(Settings.API_HOST)
                + ":"
                + wiring.settings.get(Settings.API_PORT);
    ObjectNode body =
        JSON.createObjectNode()
            .put("query", text)
            .put("top_k", topK)
            .put("mode", mode)
            .put("index", index);
    if (backend != null) {
      body.put("backend", backend);
    }
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(base + "/query"))
                      .timeout(Duration.ofSeconds(30))
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException e) {
      System.err.println(
          "agent-brain: the query API is not reachable at "
              + base
              + " — start it with `make run` or `agent-brain serve`");
      return AgentBrain.SERVICE_UNAVAILABLE;
    }
    JsonNode answer = JSON.readTree(response.body());
    if (response.statusCode() != 200) {
      System.err.println(
          "agent-brain: " + answer.path("detail").asText("HTTP " + response.statusCode()));
      return response.statusCode() >= 500 ? AgentBrain.SERVICE_UNAVAILABLE : AgentBrain.USAGE;
    }
    if (json) {
      System.out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer));
    } else {
      print(answer);
    }
    return answer.path("total_results").asInt() > 0 ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
  }

  private static void print(JsonNode answer) {
    System.out.printf(
        "%d results from %s (index version %d) in %.1f ms%n",
        answer.path("total_results").asInt(),
        answer.path("backend").asText(),
        answer.path("index_version").asInt(),
        answer.path("query_time_ms").asDouble());
    int rank = 1;
    for (JsonNode hit : answer.path("results")) {
      String snippet = hit.path("text").asText().replaceAll("\\s+", " ");
      System.out.printf(
          "%2d. %.3f  %s%n      %s%n",
          rank++,
          hit.path("score").asDouble(),
          hit.path("source").asText(),
          snippet.length() > 110 ? snippet.substring(0, 110) + "…" : snippet);
    }
  }
}
