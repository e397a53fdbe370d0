package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.StoreContract;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.testing.LocalServices;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Token auth against the real Chroma server behind a proxy that checks {@code X-Chroma-Token}, as
 * Chroma Cloud does and as a self-hosted server is protected: the local Chroma 1.0 server has no
 * authentication of its own to switch on (its Rust frontend ignores the auth settings).
 */
class ChromaTokenIT {

  private static final String TOKEN = "s3cret-token-of-chroma-0123456789";
  private static final Set<String> HOP_HEADERS =
      Set.of("connection", "content-length", "host", "transfer-encoding", "upgrade");

  private static URI chroma;
  private static HttpServer proxy;
  private static HttpClient forward;
  private static URI guarded;

  @BeforeAll
  static void startProxy() throws IOException {
    chroma = LocalServices.requireChroma();
    forward = HttpClient.newHttpClient();
    proxy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    proxy.createContext("/", ChromaTokenIT::guard);
    proxy.start();
    guarded = URI.create("http://127.0.0.1:" + proxy.getAddress().getPort());
  }

  @AfterAll
  static void stopProxy() {
    if (proxy != null) {
      proxy.stop(0);
      forward.close();
    }
  }

  @Test
  @DisplayName("with the token, the store writes and searches through a server that checks it")
  void theTokenIsSentWithEveryRequest() {
    IndexSpec spec =
        new IndexSpec(
            "ct_token_" + System.nanoTime(), StoreContract.DIMENSIONS, "token-model", "english");
    try (ChromaStore store = new ChromaStore(ChromaConfig.of(guarded).withToken(TOKEN))) {
      store.ensureIndex(spec);
      try {
        ChunkRecord chunk = ChromaStoreIT.chunk("d", 1, 0, "guarded text");
        store.write(spec.physicalName(), List.of(new ChunkWrite.Upsert(chunk, 1)));

        assertThat(store.count(spec.physicalName(), Filter.ALL)).isEqualTo(1);
        assertThat(
                store.vectorSearch(
                    spec.physicalName(), new VectorQuery(chunk.embedding(), 5, 0, Filter.ALL)))
            .extracting(hit -> hit.chunk().text())
            .containsExactly("guarded text");
      } finally {
        store.dropIndex(spec.physicalName());
      }
    }
  }

  @Test
  @DisplayName(
      "without the token, or with a wrong one, Chroma is unavailable (writers wait, nothing is"
          + " refused) with a message naming AGENT_BRAIN_CHROMA_TOKEN, and the token is never shown")
  void aMissingOrWrongTokenSaysWhatToSet() {
    try (ChromaClient none = new ChromaClient(ChromaConfig.of(guarded));
        ChromaClient wrong = new ChromaClient(ChromaConfig.of(guarded).withToken("wrong-token"))) {
      assertThatThrownBy(none::heartbeat)
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("(HTTP 401): it wants a token — set AGENT_BRAIN_CHROMA_TOKEN");
      assertThatThrownBy(wrong::heartbeat)
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessageContaining("with the token of AGENT_BRAIN_CHROMA_TOKEN")
          .hasMessageNotContaining("wrong-token");
    }
    assertThat(ChromaConfig.of(guarded).withToken(TOKEN).toString())
        .doesNotContain(TOKEN)
        .contains("token=****");
  }

  /** Forwards a request to Chroma when it carries the token, answers 401 otherwise. */
  private static void guard(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!TOKEN.equals(exchange.getRequestHeaders().getFirst(ChromaConfig.TOKEN_HEADER))) {
        reply(exchange, 401, "{\"error\":\"Unauthorized\",\"message\":\"invalid token\"}");
        return;
      }
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(chroma + exchange.getRequestURI().toString()))
              .method(
                  exchange.getRequestMethod(),
                  HttpRequest.BodyPublishers.ofByteArray(exchange.getRequestBody().readAllBytes()));
      exchange
          .getRequestHeaders()
          .forEach(
              (name, values) -> {
                if (!HOP_HEADERS.contains(name.toLowerCase(java.util.Locale.ROOT))) {
                  values.forEach(value -> request.header(name, value));
                }
              });
      HttpResponse<String> response =
          forward.send(request.build(), HttpResponse.BodyHandlers.ofString());
      reply(exchange, response.statusCode(), response.body());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void reply(HttpExchange exchange, int status, String body) throws IOException {
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
