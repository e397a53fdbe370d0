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
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A local embedding server that speaks the OpenAI embeddings API and makes {@link #DIMENSIONS}-d
 * vectors by hashing each word of a text into a bucket (a bag of words, L2-normalised): not a real
 * model, but texts that share words are close and a text is nearest to itself, so searches mean
 * something. Integration tests use it as a second model with other dimensions than the bundled
 * ones. It listens on {@link #PORT}, the port the cli module's failsafe configuration gives the
 * tests as {@code AGENT_BRAIN_OPENAI_BASE_URL}.
 *
 * <p>It can also fail as a real provider does: answers can be scripted ahead ({@link #failNext}),
 * and its vectors can be given another length ({@link #dimensions}); every answer is recorded.
 */
final class WordHashEmbeddingServer implements AutoCloseable {

  static final int PORT = 18431;
  static final int DIMENSIONS = 64;

  /** The contract name of the model this server serves. */
  static final String MODEL = "openai:word-hash-64";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** A scripted answer instead of embeddings. */
  sealed interface Fault {
    /** Answers with this status, headers and body. */
    record Status(int code, Map<String, String> headers, String body) implements Fault {}

    /** Answers nothing until the server closes (a client times out). */
    record Hang() implements Fault {}
  }

  /** One request and how it was answered (0 for a hang). */
  record Answered(Instant at, int status) {}

  private final HttpServer server;
  private final Queue<Fault> script = new ConcurrentLinkedQueue<>();
  private final List<Answered> answered = new CopyOnWriteArrayList<>();
  private final CountDownLatch closing = new CountDownLatch(1);
  private volatile int dimensions = DIMENSIONS;

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

  /** The next requests get these answers, one each, before the server embeds again. */
  void failNext(Fault... faults) {
    script.addAll(List.of(faults));
  }

  /** From now on vectors have this length ({@link #DIMENSIONS} is the right one). */
  void dimensions(int dimensions) {
    this.dimensions = dimensions;
  }

  /** Every request so far, in order of answer. */
  List<Answered> answered() {
    return List.copyOf(answered);
  }

  /** True when every scripted fault has been answered. */
  boolean scriptDone() {
    return script.isEmpty();
  }

  static float[] vectorOf(String text) {
    return vectorOf(text, DIMENSIONS);
  }

  private static float[] vectorOf(String text, int dimensions) {
    float[] vector = new float[dimensions];
    for (String word : text.toLowerCase(Locale.ROOT).split("[^\\p{L}\\p{N}]+")) {
      if (!word.isEmpty()) {
        vector[Math.floorMod(word.hashCode(), dimensions)] += 1;
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
    for (int d = 0; d < dimensions; d++) {
      vector[d] /= (float) Math.sqrt(norm);
    }
    return vector;
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode request = JSON.readTree(exchange.getRequestBody());
      Fault fault = script.poll();
      if (fault instanceof Fault.Hang) {
        answered.add(new Answered(Instant.now(), 0));
        closing.await(30, TimeUnit.SECONDS);
        return;
      }
      if (fault instanceof Fault.Status status) {
        byte[] body = status.body().getBytes(StandardCharsets.UTF_8);
        status.headers().forEach(exchange.getResponseHeaders()::set);
        answered.add(new Answered(Instant.now(), status.code()));
        exchange.sendResponseHeaders(status.code(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
        return;
      }
      ObjectNode answer = JSON.createObjectNode().put("object", "list");
      ArrayNode data = answer.putArray("data");
      JsonNode input = request.path("input");
      for (int i = 0; i < input.size(); i++) {
        ArrayNode embedding =
            data.addObject().put("object", "embedding").put("index", i).putArray("embedding");
        for (float v : vectorOf(input.get(i).asText(), dimensions)) {
          embedding.add(v);
        }
      }
      answer.put("model", request.path("model").asText());
      byte[] bytes = answer.toString().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      answered.add(new Answered(Instant.now(), 200));
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    closing.countDown();
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
