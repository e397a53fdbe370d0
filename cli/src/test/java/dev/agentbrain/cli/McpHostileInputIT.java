package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.mcp.McpFeatures;
import dev.agentbrain.query.QueryServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Bad and hostile calls of {@code /mcp} as {@code serve} mounts it (the MCP SDK's Streamable HTTP
 * servlet behind the API's guard), spoken as raw JSON-RPC over HTTP: each gets a clear refusal and
 * the server keeps answering.
 */
class McpHostileInputIT {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MIB = 1 << 20;

  private static IsolatedPipeline pipeline;
  private static QueryServer server;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @BeforeAll
  static void serve() {
    pipeline = IsolatedPipeline.start("mcphostile", 1);
    server =
        ServeCommand.withMcp(pipeline.queryServer(), McpFeatures.NONE)
            .listen("127.0.0.1", 0)
            .start();
  }

  @AfterAll
  static void stop() {
    if (server != null) server.close();
    if (pipeline != null) pipeline.close();
  }

  @Test
  @DisplayName(
      "a /mcp body over 1 MiB, chunked or with its length, is 413 in the API's JSON shape; the next"
          + " session starts")
  void oversizedBodiesAreRefused() throws Exception {
    byte[] large = new byte[2 * MIB];
    Arrays.fill(large, (byte) ' ');
    large[0] = '{';
    for (HttpRequest.BodyPublisher body :
        List.of(
            HttpRequest.BodyPublishers.ofByteArray(large),
            // no Content-Length: sent chunked
            HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(large)))) {
      HttpResponse<String> answer = HTTP.send(mcp(Optional.empty()).POST(body).build(), text());
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(413);
      assertThat(JSON.readTree(answer.body()).path("detail").asText())
          .isEqualTo("the request body is larger than 1024 KiB: send a smaller one");
    }
    assertThat(initialize()).isNotBlank();
  }

  @Test
  @DisplayName(
      "a /mcp body that is not JSON, or JSON but not a JSON-RPC message, is a 4xx without a stack"
          + " trace or parser text; the next session starts")
  void malformedMessagesLeakNothing() throws Exception {
    for (String body : List.of("{not json", "{\"foo\": 1}", "[]", "\"initialize\"", "")) {
      HttpResponse<String> answer =
          HTTP.send(
              mcp(Optional.empty()).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
              text());
      assertThat(answer.statusCode()).as("%s: %s", body, answer.body()).isBetween(400, 499);
      assertThat(answer.body())
          .as(body)
          .doesNotContain("stackTrace")
          .doesNotContain("Exception")
          .doesNotContain("jackson")
          .doesNotContain("io.modelcontextprotocol");
    }
    assertThat(initialize()).isNotBlank();
  }

  @Test
  @DisplayName(
      "tool calls with missing, mistyped, out-of-range, unknown or oversized arguments, or an"
          + " unknown tool, are errors that name what is wrong; a good call then answers")
  void badToolArgumentsAreNamed() throws Exception {
    String session = initialize();
    String tooLong = "kafka ".repeat(2_000); // 12,000 characters, under the body limit
    Map<Map<String, Object>, String> refusals = new LinkedHashMap<>();
    refusals.put(Map.of(), "query must not be empty");
    refusals.put(Map.of("query", List.of("kafka")), "query");
    refusals.put(Map.of("query", "kafka", "top_k", "many"), "top_k");
    refusals.put(Map.of("query", "kafka", "top_k", 1_000_000), "top_k");
    refusals.put(Map.of("query", "kafka", "mode", "fuzzy"), "mode");
    refusals.put(Map.of("query", "kafka", "colour", "red"), "colour");
    refusals.put(Map.of("query", tooLong, "mode", "vector"), "8000");
    int id = 10;
    for (Map.Entry<Map<String, Object>, String> refusal : refusals.entrySet()) {
      JsonNode result = call(session, id++, "search_documents", refusal.getKey());
      assertThat(result.path("isError").asBoolean())
          .as("%s: %s", refusal.getKey(), result)
          .isTrue();
      assertThat(result.path("content").path(0).path("text").asText())
          .as("%s", refusal.getKey())
          .contains(refusal.getValue())
          .doesNotContain("Exception");
    }
    JsonNode unknown = call(session, id++, "drop_everything", Map.of());
    assertThat(unknown.toString()).contains("drop_everything").doesNotContain("Exception");

    // the session still works: a tool that needs no documents
    JsonNode good = call(session, id, "server_health", Map.of());
    assertThat(good.path("isError").asBoolean()).as(good.toString()).isFalse();
  }

  /** Starts a session: initialize, then the initialized notification; its id. */
  private static String initialize() throws Exception {
    HttpResponse<String> answer =
        post(
            Optional.empty(),
            Map.of(
                "jsonrpc",
                "2.0",
                "id",
                1,
                "method",
                "initialize",
                "params",
                Map.of(
                    "protocolVersion",
                    "2025-03-26",
                    "capabilities",
                    Map.of(),
                    "clientInfo",
                    Map.of("name", "hostile-input", "version", "1"))));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    String session = answer.headers().firstValue("Mcp-Session-Id").orElseThrow();
    post(Optional.of(session), Map.of("jsonrpc", "2.0", "method", "notifications/initialized"));
    return session;
  }

  /** The result of a tools/call, or the JSON-RPC error when there is no result. */
  private static JsonNode call(String session, int id, String tool, Map<String, Object> arguments)
      throws Exception {
    HttpResponse<String> answer =
        post(
            Optional.of(session),
            Map.of(
                "jsonrpc",
                "2.0",
                "id",
                id,
                "method",
                "tools/call",
                "params",
                Map.of("name", tool, "arguments", arguments)));
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    JsonNode message = JSON.readTree(payload(answer.body()));
    return message.has("result") ? message.get("result") : message.path("error");
  }

  /** The JSON-RPC message of an answer sent as JSON or as one server-sent event. */
  private static String payload(String body) {
    return body.lines()
        .filter(line -> line.startsWith("data:"))
        .map(line -> line.substring("data:".length()).strip())
        .findFirst()
        .orElse(body);
  }

  private static HttpResponse<String> post(Optional<String> session, Map<String, Object> message)
      throws Exception {
    return HTTP.send(
        mcp(session)
            .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(message)))
            .build(),
        text());
  }

  private static HttpRequest.Builder mcp(Optional<String> session) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/mcp"))
            .timeout(Duration.ofSeconds(60))
            .header("Content-Type", "application/json")
            .header("Accept", "application/json, text/event-stream");
    session.ifPresent(id -> request.header("Mcp-Session-Id", id));
    return request;
  }

  private static HttpResponse.BodyHandler<String> text() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
