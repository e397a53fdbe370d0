package dev.agentbrain.embedding.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real HTTP server on loopback that answers like OpenAI's {@code /v1/embeddings} and Ollama's
 * {@code /api/embed}, standing in for a paid or absent service. Answers can be scripted ahead
 * (failures, hangs); every request is recorded. Registered as a JUnit extension, it runs for one
 * test at a time.
 */
final class FakeEmbeddingServer implements BeforeEachCallback, AfterEachCallback {

  /** One request as it arrived. */
  record Received(String path, String authorization, JsonNode body, int bytes) {
    List<String> inputs() {
      List<String> inputs = new ArrayList<>();
      body.path("input").forEach(text -> inputs.add(text.asText()));
      return inputs;
    }
  }

  private record Scripted(int status, Map<String, String> headers, String body, boolean hang) {}

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Queue<Scripted> script = new ConcurrentLinkedQueue<>();
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger mostInFlight = new AtomicInteger();
  private volatile int dimensions = 8;
  private HttpServer server;
  private ExecutorService handlers;
  private CountDownLatch closing;

  @Override
  public void beforeEach(ExtensionContext context) throws IOException {
    handlers = Executors.newCachedThreadPool();
    closing = new CountDownLatch(1);
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(handlers);
    server.createContext("/", this::handle);
    server.start();
  }

  @Override
  public void afterEach(ExtensionContext context) {
    closing.countDown();
    server.stop(0);
    handlers.shutdownNow();
  }

  /**
   * Opens a model of {@code provider} on this server, configured through the variables a user sets,
   * with millisecond backoff; {@code settings} are further pairs of setting and value, e.g. {@code
   * "BATCH_SIZE", "3"}.
   */
  RemoteEmbeddingModel open(RemoteProvider provider, String model, String... settings) {
    Map<String, String> environment = new HashMap<>();
    environment.put(provider.urlVariable(), url().toString());
    environment.put(provider.variable("RETRY_BACKOFF_MS"), "1");
    environment.put(provider.variable("RETRY_MAX_BACKOFF_MS"), "4");
    for (int i = 0; i < settings.length; i += 2) {
      environment.put(provider.variable(settings[i]), settings[i + 1]);
    }
    return RemoteEmbeddingModel.open(
        HttpEmbeddingConfig.fromEnvironment(provider, model, environment));
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** The vector this server makes of {@code text}: deterministic, positive, not normalised. */
  static float[] vectorOf(String text, int dimensions) {
    float[] vector = new float[dimensions];
    for (int d = 0; d < dimensions; d++) {
      vector[d] = 1 + Math.floorMod(text.hashCode() + 7 * d, 13);
    }
    return vector;
  }

  /** {@link #vectorOf} scaled to unit length, as a normalising client returns it. */
  static float[] unitVectorOf(String text, int dimensions) {
    float[] vector = vectorOf(text, dimensions);
    double sumOfSquares = 0;
    for (float v : vector) {
      sumOfSquares += v * v;
    }
    for (int d = 0; d < dimensions; d++) {
      vector[d] /= (float) Math.sqrt(sumOfSquares);
    }
    return vector;
  }

  /** Vectors made from now on have this length. */
  void dimensions(int dimensions) {
    this.dimensions = dimensions;
  }

  /** The next request not yet scripted gets this answer instead of embeddings. */
  void answerNext(int status, String body, Map<String, String> headers) {
    script.add(new Scripted(status, headers, body, false));
  }

  /** The next {@code times} requests get no answer until the server closes. */
  void hangNext(int times) {
    for (int i = 0; i < times; i++) {
      script.add(new Scripted(0, Map.of(), "", true));
    }
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The most requests that were being answered at the same time. */
  int mostInFlight() {
    return mostInFlight.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    mostInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      byte[] bytes = exchange.getRequestBody().readAllBytes();
      JsonNode body = JSON.readTree(bytes);
      String path = exchange.getRequestURI().getPath();
      received.add(
          new Received(
              path, exchange.getRequestHeaders().getFirst("Authorization"), body, bytes.length));
      Scripted scripted = script.poll();
      if (scripted != null && scripted.hang()) {
        closing.await(10, TimeUnit.SECONDS);
        return;
      }
      if (scripted != null) {
        scripted.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
        respond(exchange, scripted.status(), scripted.body());
        return;
      }
      // a short pause keeps concurrent requests overlapping, so a concurrency limit shows
      Thread.sleep(20);
      switch (path) {
        case "/v1/embeddings" -> respond(exchange, 200, openAiAnswer(body).toString());
        case "/api/embed" -> respond(exchange, 200, ollamaAnswer(body).toString());
        default -> respond(exchange, 404, "{\"error\":\"no such path " + path + "\"}");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  /** OpenAI's shape, with the items in reverse order: clients must sort by index. */
  private ObjectNode openAiAnswer(JsonNode request) {
    ObjectNode answer = JSON.createObjectNode().put("object", "list");
    ArrayNode data = answer.putArray("data");
    JsonNode input = request.path("input");
    for (int i = input.size() - 1; i >= 0; i--) {
      ObjectNode item = data.addObject().put("object", "embedding").put("index", i);
      ArrayNode embedding = item.putArray("embedding");
      for (float v : vectorOf(input.get(i).asText(), dimensions)) {
        embedding.add(v);
      }
    }
    answer.put("model", request.path("model").asText());
    return answer;
  }

  private ObjectNode ollamaAnswer(JsonNode request) {
    ObjectNode answer = JSON.createObjectNode().put("model", request.path("model").asText());
    ArrayNode embeddings = answer.putArray("embeddings");
    for (JsonNode text : request.path("input")) {
      ArrayNode vector = embeddings.addArray();
      for (float v : vectorOf(text.asText(), dimensions)) {
        vector.add(v);
      }
    }
    return answer;
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }
}
