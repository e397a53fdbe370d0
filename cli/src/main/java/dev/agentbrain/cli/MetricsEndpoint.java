package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.ApiError;
import dev.agentbrain.query.ErrorTable;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Serves a process's meters in the Prometheus text format at {@code GET /metrics}, and its health
 * as JSON at {@code GET /health}: HTTP 200 when ready, 503 when not (the body says why).
 */
final class MetricsEndpoint implements AutoCloseable {

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final HttpServer server;

  private MetricsEndpoint(HttpServer server) {
    this.server = server;
  }

  /**
   * Serves {@code /metrics} behind the query API's tokens (when set, a scrape needs one of them, as
   * the API's {@code /metrics} does) and {@code /health} open.
   */
  static MetricsEndpoint start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      Supplier<IndexerHealth> health,
      ApiAuth auth) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 0);
      server.createContext(
          "/metrics",
          exchange -> {
            try {
              auth.check(Access.READ, exchange.getRequestHeaders().getFirst("Authorization"));
            } catch (RuntimeException e) {
              ApiError refused = ErrorTable.answer(e).orElseThrow(() -> e);
              exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer");
              send(
                  exchange,
                  refused.status(),
                  "application/json",
                  JSON.writeValueAsBytes(refused.body()));
              return;
            }
            send(
                exchange,
                200,
                "text/plain; version=0.0.4; charset=utf-8",
                registry.scrape().getBytes(StandardCharsets.UTF_8));
          });
      server.createContext(
          "/health",
          exchange -> {
            IndexerHealth now = health.get();
            send(
                exchange, now.ready() ? 200 : 503, "application/json", JSON.writeValueAsBytes(now));
          });
      server.start();
      return new MetricsEndpoint(server);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "could not serve metrics on "
              + host
              + ":"
              + port
              + " ("
              + e.getMessage()
              + ") — set AGENT_BRAIN_INDEXER_METRICS_PORT to a free port, or 0 to turn metrics off",
          e);
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  int port() {
    return server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
