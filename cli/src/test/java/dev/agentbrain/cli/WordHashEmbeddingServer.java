package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.Executors;

/**
 * A local embedding server that speaks the OpenAI embeddings API and makes {@link #DIMENSIONS}-d
 * vectors by hashing each word of a text into a bucket (a bag of words, L2-normalised): not a real
 * model, but texts that share words are close and a text is nearest to itself, so searches mean
 * something. Integration tests use it as a second model with other dimensions than the bundled
 * ones. It listens on {@link #PORT}, the port the cli module's failsafe configuration gives the
 * tests as {@code AGENT_BRAIN_OPENAI_BASE_URL}.
 */
final class WordHashEmbeddingServer implements AutoCloseable {

  static final int PORT = 18431;
  static final int DIMENSIONS = 64;

  /** The contract name of the model this server serves. */
  static final String MODEL = "openai:word-hash-64";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;

  private WordHashEmbeddingServer(HttpServer server) {
    this.server = server;
  }

  static WordHashEmbeddingServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", PORT), 0);
      server.setExecutor(Executors.newFixedThreadPool(4));
      WordHashEmbeddingServer fake = new WordHashEmbeddingServer(server);
      server.createContext("/v1/embeddings", fake::handle);
      server.start();
      return fake;
    } catch (BindException e) {
      throw new IllegalStateException(
          "port " + PORT + " is taken: is another ReindexIT running? " + e.getMessage(), e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static float[] vectorOf(String text) {
    float[] vector = new float[DIMENSIONS];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        vector[Math.floorMod(word.hashCode(), DIMENSIONS)] += 1;
      }
    }
    double norm = 0;
    for (float v : vector) {
      norm += v * v;
    }
    if (norm == 0) {
      vector[0] = 1;
      return vector;
    }
    for (int d = 0; d < DIMENSIONS; d++) {
      vector[d] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      ObjectNode answer = JSON.createObjectNode().put("object", "list");
      ArrayNode data = answer.putArray("data");
      JsonNode input = request.path("input");
      for (int i = 0; i < input.size(); i++) {
        ArrayNode embedding =
            data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
        for (float v : vectorOf(input.get(i).asText())) {
          embedding.add(v);
        }
      }
      answer.put("model", request.path("model").asText());
      byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
