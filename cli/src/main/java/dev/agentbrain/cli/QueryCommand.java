package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.config.Settings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    description = {
      "Search an index through the query API (POST /query) and print the hits as a table.",
      "Sends AGENT_BRAIN_API_TOKEN as the bearer token when set (AGENT_BRAIN_API_ADMIN_TOKEN with"
          + " --backend).",
      "Exit codes: 0 results found, 1 no results, 2 bad request, 3 the API is unreachable or busy."
    })
final class QueryCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "TEXT", description = "what to search for")
  String text;

  @Mixin IndexOption index;

  @Option(
      names = "--top-k",
      defaultValue = "5",
      description = "hits to show, 1..100 (default: ${DEFAULT-VALUE})")
  int topK;

  @Option(names = "--offset", defaultValue = "0", description = "hits to skip (pagination)")
  int offset;

  @Option(
      names = "--mode",
      defaultValue = "vector",
      description = "vector (default), bm25, hybrid or rrf")
  String mode;

  @Option(
      names = "--alpha",
      description =
          "hybrid: weight of the vector score on the stored 0..1 scores, 0 (bm25 only) to 1 (vector"
              + " only); without it, the tuned default (alpha 0.95 on L2-normalised scores)")
  Double alpha;

  @Option(names = "--rrf-k", description = "rrf: the rank constant k, 1..1000 (10)")
  Integer rrfK;

  @Option(names = "--threshold", description = "minimum score, 0..1, inclusive")
  Double threshold;

  @Option(names = "--source-type", description = "only this source type (repeatable): doc, code")
  List<String> sourceTypes;

  @Option(names = "--language", description = "only this language (repeatable)")
  List<String> languages;

  @Option(names = "--path", description = "only sources matching this glob (repeatable)")
  List<String> paths;

  @Option(
      names = "--filter",
      description =
          "a filter expression as JSON, e.g. '{\"field\":\"metadata.team\",\"in\":[\"a\",\"b\"]}'")
  String filter;

  @Option(names = "--explain", description = "show each hit's rank in the vector and bm25 rankings")
  boolean explain;

  @Option(
      names = "--backend",
      description = "admin: ask this backend instead of the configured one: postgres or chroma")
  String backend;

  @Option(names = "--json", description = "print the API's JSON response")
  boolean json;

  @Mixin QueryApiAddress api;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException, InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    Settings settings = wiring.settings;
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String base = api.base(settings);
    ObjectNode body;
    try {
      body = body();
    } catch (IOException e) {
      err.println("agent-brain: --filter is not valid JSON");
      return AgentBrain.USAGE;
    }
    String token =
        backend != null && !settings.get(Settings.API_ADMIN_TOKEN).isBlank()
            ? settings.get(Settings.API_ADMIN_TOKEN)
            : settings.get(Settings.API_TOKEN);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + "/query"))
            .timeout(Duration.ofSeconds(30))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
    if (!token.isBlank()) {
      request.header("Authorization", "Bearer " + token);
    }
    HttpResponse<String> response;
    try {
      response =
          HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (ConnectException | HttpTimeoutException e) {
      err.println(
          "agent-brain: the query API is not reachable at "
              + base
              + " — start it with `make run` or `agent-brain serve`");
      return AgentBrain.SERVICE_UNAVAILABLE;
    }
    JsonNode answer;
    try {
      answer = JSON.readTree(response.body());
    } catch (IOException e) {
      answer = JSON.createObjectNode();
    }
    if (response.statusCode() != 200) {
      err.println("agent-brain: " + answer.path("detail").asText("HTTP " + response.statusCode()));
      boolean retryLater = response.statusCode() == 429 || response.statusCode() >= 500;
      return retryLater ? AgentBrain.SERVICE_UNAVAILABLE : AgentBrain.USAGE;
    }
    out.print(
        json
            ? JSON.writerWithDefaultPrettyPrinter().writeValueAsString(answer) + "\n"
            : QueryTable.render(answer));
    out.flush();
    return answer.path("total_results").asInt() > 0 ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
  }

  private ObjectNode body() throws IOException {
    ObjectNode body =
        JSON.createObjectNode()
            .put("query", text)
            .put("top_k", topK)
            .put("offset", offset)
            .put("mode", mode)
            .put("index", index.name)
            .put("explain", explain);
    if (alpha != null) {
      body.put("alpha", alpha);
    }
    if (rrfK != null) {
      body.put("rrf_k", rrfK);
    }
    if (threshold != null) {
      body.put("similarity_threshold", threshold);
    }
    if (backend != null) {
      body.put("backend", backend);
    }
    putList(body, "source_types", sourceTypes);
    putList(body, "languages", languages);
    putList(body, "file_paths", paths);
    if (filter != null) {
      body.set("filter", JSON.readTree(filter));
    }
    return body;
  }

  private static void putList(ObjectNode body, String field, List<String> values) {
    if (values != null && !values.isEmpty()) {
      values.forEach(body.putArray(field)::add);
    }
  }
}
