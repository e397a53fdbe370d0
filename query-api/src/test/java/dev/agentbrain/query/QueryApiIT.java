package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.LocalServices;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The query API against the real services: an index written by the real stores to PostgreSQL and
 * Chroma, served by a {@link QueryServer} on a free port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryApiIT {

  private static final String TOKEN = "read-token-1";
  private static final String ADMIN = "admin-token-1";

  private ServedIndex served;
  private QueryServer open;
  private QueryServer secured;
  private Http api;
  private Http securedApi;

  @BeforeAll
  void serve() {
    served = ServedIndex.create("api");
    open = served.serve(b -> b);
    secured = served.serve(b -> b.auth(ApiAuth.of(TOKEN, ADMIN)));
    api = new Http(open.port());
    securedApi = new Http(secured.port());
  }

  @AfterAll
  void stop() {
    if (open != null) open.close();
    if (secured != null) secured.close();
    if (served != null) served.close();
  }

  private Map<String, Object> query(Object... keyValues) {
    Map<String, Object> body = new java.util.LinkedHashMap<>();
    body.put("index", served.index);
    for (int i = 0; i < keyValues.length; i += 2) {
      body.put((String) keyValues[i], keyValues[i + 1]);
    }
    return body;
  }

  private static List<String> ids(Http.Answer answer) {
    return StreamSupport.stream(answer.json().path("results").spliterator(), false)
        .map(r -> r.path("chunk_id").asText())
        .toList();
  }

  @Test
  @DisplayName("a search answers Agent Brain's response shape, best hit first")
  void searchAnswersAgentBrainShape() {
    Http.Answer answer =
        api.query(query("query", "which consumer owns a kafka partition", "top_k", 3));

    assertThat(answer.status()).isEqualTo(200);
    JsonNode first = answer.json().path("results").get(0);
    assertThat(first.path("chunk_id").asText()).isEqualTo("kafka-consumers#0");
    for (String field :
        List.of(
            "text",
            "source",
            "score",
            "vector_score",
            "bm25_score",
            "chunk_id",
            "source_type",
            "language",
            "metadata")) {
      assertThat(first.has(field)).as(field).isTrue();
    }
    assertThat(answer.json().path("total_results").asInt()).isEqualTo(3);
    assertThat(answer.json().has("query_time_ms")).isTrue();
  }

  @Test
  @DisplayName("invalid requests answer 400 naming the field")
  void validationErrors() {
    assertThat(api.query(query("query", "x", "top_k", 101)).detail()).contains("top_k");
    assertThat(api.query(query("query", "x", "mode", "fuzzy")).detail()).contains("mode");
    assertThat(api.query(query("query", "x", "colour", "red")).detail()).contains("colour");
    assertThat(api.query(query("query", "  ")).detail()).contains("query");
    assertThat(
            api.query(query("query", "x", "filter", Map.of("field", "owner", "eq", "me"))).detail())
        .contains("owner");
    assertThat(api.post("/query", "{not json").status()).isEqualTo(400);
    assertThat(api.get("/query?q=x&topk=3").detail()).contains("topk");
    for (Http.Answer bad :
        List.of(
            api.query(query("query", "x", "top_k", 101)),
            api.query(query("query", "x", "offset", -1)),
            api.query(query("query", "x", "similarity_threshold", 1.5)),
            api.query(query("query", "x", "top_k", "many")))) {
      assertThat(bad.status()).isEqualTo(400);
    }
  }

  /** The service still answers a plain search with its best hit: nothing before broke it. */
  private void assertStillServes() {
    Http.Answer answer = api.query(query("query", "which consumer owns a kafka partition"));
    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(ids(answer)).contains("kafka-consumers#0");
  }

  @Test
  @DisplayName(
      "path globs that take a backtracking regex exponential time answer at once: PostgreSQL"
          + " vector and keyword, Chroma vector (its glob is matched in Java)")
  void pathologicalGlobsAnswerAtOnce() {
    // this test server keeps no Chroma keyword index (serve does): Chroma is asked for vectors
    for (String backend : List.of("postgres", "chroma")) {
      for (String glob : List.of("**/".repeat(300) + "z", "*a".repeat(400) + "z")) {
        for (String mode :
            backend.equals("chroma") ? List.of("vector") : List.of("vector", "bm25")) {
          long started = System.nanoTime();
          Http.Answer answer =
              api.query(
                  query(
                      "query",
                      "kafka",
                      "backend",
                      backend,
                      "mode",
                      mode,
                      "file_paths",
                      List.of(glob)));
          assertThat(answer.status()).as("%s %s: %s", backend, mode, answer.body()).isEqualTo(200);
          assertThat(ids(answer)).isEmpty();
          assertThat(Duration.ofNanos(System.nanoTime() - started))
              .as("%s %s", backend, mode)
              .isLessThan(Duration.ofSeconds(10));
        }
      }
    }
    assertStillServes();
  }

  @Test
  @DisplayName(
      "filters nested too deep answer 400: 9 levels of the filter language, 50,000 levels of JSON")
  void deepFiltersAreRefused() {
    Object nested = Map.of("field", "language", "eq", "markdown");
    for (int level = 0; level < FilterLanguage.MAX_DEPTH; level++) {
      nested = Map.of("and", List.of(nested));
    }
    Http.Answer nine = api.query(query("query", "kafka", "filter", nested));
    assertThat(nine.status()).as(nine.body()).isEqualTo(400);
    assertThat(nine.detail()).contains("deeper than 8");

    int depth = 50_000; // 550 KB, under the body limit
    String json =
        "{\"query\": \"kafka\", \"index\": \"%s\", \"filter\": %s%s}"
            .formatted(served.index, "{\"and\": [".repeat(depth), "]}".repeat(depth));
    Http.Answer deep = api.post("/query", json);
    assertThat(deep.status()).as(deep.body()).isEqualTo(400);
    assertThat(deep.detail()).doesNotContain("Exception").doesNotContain("jackson");
    assertStillServes();
  }

  @Test
  @DisplayName(
      "metadata values of odd types: numbers and booleans match as their text, null, objects and"
          + " nested lists answer 400 naming the key")
  void oddMetadataValues() {
    for (Object value : List.of(1, 1.5e300, true, List.of("a", 1, false))) {
      Http.Answer answer = api.query(query("query", "kafka", "metadata", Map.of("team", value)));
      assertThat(answer.status()).as("%s: %s", value, answer.body()).isEqualTo(200);
    }
    Map<String, Object> withNull = new java.util.HashMap<>();
    withNull.put("team", null);
    for (Object metadata :
        List.of(
            withNull,
            Map.of("team", Map.of("a", 1)),
            Map.of("team", List.of(List.of("a"))),
            Map.of("", "x"),
            "team=a",
            List.of("team"))) {
      Http.Answer answer = api.query(query("query", "kafka", "metadata", metadata));
      assertThat(answer.status()).as("%s: %s", metadata, answer.body()).isEqualTo(400);
      assertThat(answer.detail()).as("%s", metadata).contains("metadata");
    }
    assertStillServes();
  }

  @Test
  @DisplayName(
      "a query of only stop words, only punctuation, or with NUL and control characters answers"
          + " 200 in every mode on PostgreSQL and in vector mode on Chroma")
  void emptyOfWordsOrOddCharacters() {
    for (String backend : List.of("postgres", "chroma")) {
      for (String mode :
          backend.equals("chroma")
              ? List.of("vector")
              : List.of("vector", "bm25", "hybrid", "rrf")) {
        for (String text :
            List.of("the of and a to", "?!... ,;: -- ()", "kafka\u0000\u0007\u001b[2J")) {
          Http.Answer answer = api.query(query("query", text, "backend", backend, "mode", mode));
          assertThat(answer.status())
              .as("%s %s %s: %s", backend, mode, text, answer.body())
              .isEqualTo(200);
        }
      }
    }
    assertStillServes();
  }

  @Test
  @DisplayName(
      "paging past the deepest ranking answers 400, also where offset + top_k overflows an int")
  void hugeOffsets() {
    for (Object offset : List.of(1_000, Integer.MAX_VALUE, Integer.MAX_VALUE - 5, 1L << 40)) {
      Http.Answer answer = api.query(query("query", "kafka", "offset", offset, "top_k", 10));
      assertThat(answer.status()).as("%s: %s", offset, answer.body()).isEqualTo(400);
      assertThat(answer.detail()).contains("offset");
    }
    Http.Answer get = api.get("/query?q=kafka&index=" + served.index + "&offset=2147483647");
    assertThat(get.status()).as(get.body()).isEqualTo(400);
    assertStillServes();
  }

  @Test
  @DisplayName("a body over 1 MiB is 413 even when sent chunked; a non-JSON body is 415")
  void bodyLimitsHoldForChunkedBodies() throws Exception {
    String small = QueryApi.JSON.writeValueAsString(query("query", "kafka"));
    assertThat(api.postChunked("/query", "application/json", small.getBytes()).status())
        .isEqualTo(200);
    byte[] large = new byte[RequestBodies.MAX_BYTES + 10];
    java.util.Arrays.fill(large, (byte) ' ');
    large[0] = '{';
    Http.Answer tooLarge = api.postChunked("/query", "application/json", large);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.detail()).contains("1024 KiB");
    Http.Answer notJson = api.postChunked("/query", "text/plain", small.getBytes());
    assertThat(notJson.status()).isEqualTo(415);
    assertThat(notJson.detail()).contains("application/json");
    assertThat(api.query(query("query", "kafka")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName(
      "with auth off, a foreign Host or Origin is 403 saying how to allow it; with auth on, the token decides")
  void foreignHostsAndOriginsNeedAuth() throws Exception {
    String rebound = raw(hostGet("evil.example:80", null));
    assertThat(rebound).startsWith("HTTP/1.1 403").contains("AGENT_BRAIN_API_TOKEN");
    Http.Answer page = api.getFrom("https://evil.example", "/indexes");
    assertThat(page.status()).isEqualTo(403);
    assertThat(page.detail()).contains("evil.example");
    assertThat(raw(hostGet("localhost", null))).startsWith("HTTP/1.1 200");
    assertThat(api.getFrom("http://127.0.0.1:1234", "/indexes").status()).isEqualTo(200);
    assertThat(raw(secured.port(), hostGet("evil.example", TOKEN))).startsWith("HTTP/1.1 200");
  }

  private static String hostGet(String host, String token) {
    return "GET /indexes HTTP/1.1\r\nHost: "
        + host
        + "\r\n"
        + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
        + "Connection: close\r\n\r\n";
  }

  @Test
  @DisplayName("with auth on, a search without a valid token answers 401, with the token 200")
  void authOn() {
    Http.Answer none = securedApi.query(query("query", "kafka"));
    assertThat(none.status()).isEqualTo(401);
    assertThat(none.header("WWW-Authenticate")).isEqualTo("Bearer");
    assertThat(securedApi.withToken("wrong").query(query("query", "kafka")).status())
        .isEqualTo(401);
    assertThat(securedApi.withToken(TOKEN).query(query("query", "kafka")).status()).isEqualTo(200);
    assertThat(securedApi.withToken(ADMIN).query(query("query", "kafka")).status()).isEqualTo(200);
    assertThat(securedApi.get("/health").status()).isEqualTo(200);
    assertThat(securedApi.get("/indexes").status()).isEqualTo(401);
  }

  @Test
  @DisplayName("with auth off (loopback, no token) a search needs no token")
  void authOffOnLoopback() {
    assertThat(api.query(query("query", "kafka")).status()).isEqualTo(200);
  }

  @Test
  @DisplayName("the service refuses to start on a non-loopback address without a token")
  void nonLoopbackNeedsToken() {
    assertThatThrownBy(() -> served.serve(b -> b.listen("0.0.0.0", 0)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("AGENT_BRAIN_API_TOKEN");
  }

  @Test
  @DisplayName(
      "/query/compare answers both backends with their overlap and RBO; the reader token is refused")
  void compareBothBackends() throws Exception {
    String body = QueryApi.JSON.writeValueAsString(query("query", "kafka partitions", "top_k", 3));

    Http.Answer reader = securedApi.withToken(TOKEN).post("/query/compare", body);
    assertThat(reader.status()).isEqualTo(403);
    assertThat(reader.detail()).contains("admin token");
    Http.Answer answer = securedApi.withToken(ADMIN).post("/query/compare", body);
    assertThat(answer.status()).isEqualTo(200);
    JsonNode json = answer.json();
    assertThat(json.path("primary_backend").asText()).isEqualTo("postgres");
    assertThat(json.path("answers").path("postgres").path("backend").asText())
        .isEqualTo("postgres");
    assertThat(json.path("answers").path("chroma").path("backend").asText()).isEqualTo("chroma");
    // the same chunks and vectors in both backends: (nearly) the same ranking
    assertThat(json.path("rbo").asDouble()).isGreaterThan(0.8);
    assertThat(json.path("shared").size())
        .isEqualTo((int) Math.round(json.path("overlap").asDouble() * 3))
        .isPositive();
    Http.Answer withBackend =
        api.post(
            "/query/compare",
            QueryApi.JSON.writeValueAsString(query("query", "kafka", "backend", "chroma")));
    assertThat(withBackend.status()).isEqualTo(400);
    assertThat(withBackend.detail()).contains("leave 'backend' out");
  }

  @Test
  @DisplayName("the pages are served with a policy that loads nothing from elsewhere")
  void pages() {
    for (String path : List.of("/", "/compare", "/indexing")) {
      Http.Answer page = securedApi.get(path);
      assertThat(page.status()).as(path).isEqualTo(200);
      assertThat(page.header("Content-Type")).startsWith("text/html");
      assertThat(page.header("Content-Security-Policy")).contains("default-src 'self'");
      assertThat(page.body()).contains("<script src=\"/page/app.js\"></script>");
    }
    assertThat(securedApi.get("/page/app.js").header("Content-Type")).startsWith("text/javascript");
    assertThat(securedApi.get("/page/app.css").status()).isEqualTo(200);
    assertThat(securedApi.get("/page/secret.txt").status()).isEqualTo(404);
  }

  @Test
  @DisplayName("choosing the backend per request needs the admin token")
  void adminOverride() {
    Map<String, Object> onChroma = query("query", "kafka partitions", "backend", "chroma");

    Http.Answer reader = securedApi.withToken(TOKEN).query(onChroma);
    assertThat(reader.status()).isEqualTo(403);
    assertThat(reader.detail()).contains("admin");
    Http.Answer admin = securedApi.withToken(ADMIN).query(onChroma);
    assertThat(admin.status()).isEqualTo(200);
    assertThat(admin.json().path("backend").asText()).isEqualTo("chroma");
    assertThat(ids(admin)).contains("kafka-consumers#0");
  }

  @Test
  @DisplayName("pages of a search follow each other without gap or overlap")
  void pagination() {
    String text = "search results and indexes";
    Http.Answer all = api.query(query("query", text, "top_k", 6, "mode", "rrf"));
    Http.Answer first = api.query(query("query", text, "top_k", 3, "mode", "rrf"));
    Http.Answer second = api.query(query("query", text, "top_k", 3, "offset", 3, "mode", "rrf"));

    List<String> paged = new ArrayList<>(ids(first));
    paged.addAll(ids(second));
    assertThat(paged).isEqualTo(ids(all)).hasSize(6);
    assertThat(first.json().path("next_offset").asInt()).isEqualTo(3);
    assertThat(second.json().path("offset").asInt()).isEqualTo(3);
    Http.Answer last = api.query(query("query", text, "top_k", 5, "offset", 5, "mode", "rrf"));
    // rrf ranks every chunk the vector search returns: all 8 of the corpus
    assertThat(ids(last)).hasSize(3);
    assertThat(last.json().path("next_offset").isNull()).isTrue();
  }

  @Test
  @DisplayName("explain gives each result its rank and score in both retrievers")
  void explain() {
    Http.Answer answer =
        api.query(
            query(
                "query", "kafka partition leader", "mode", "hybrid", "explain", true, "top_k", 3));

    JsonNode explain = answer.json().path("results").get(0).path("explain");
    assertThat(explain.path("mode").asText()).isEqualTo("hybrid");
    assertThat(explain.path("vector").path("rank").asInt()).isPositive();
    assertThat(explain.path("bm25").path("rank").asInt()).isPositive();
    assertThat(explain.path("vector").path("score").asDouble())
        .isEqualTo(answer.json().path("results").get(0).path("vector_score").asDouble());
    assertThat(api.query(query("query", "kafka")).json().path("results").get(0).has("explain"))
        .isFalse();
  }

  @Test
  @DisplayName(
      "filters by source type, language, metadata and combined expressions hold on both backends")
  void filtersEndToEnd() {
    for (String backend : List.of("postgres", "chroma")) {
      assertThat(
              found(
                  backend,
                  Map.of(
                      "source_types",
                      List.of("code"),
                      "languages",
                      List.of("python", "typescript"))))
          .as(backend)
          .isEqualTo(Set.of("search-py#0", "index-ts#0"));
      assertThat(found(backend, Map.of("metadata", Map.of("tier", "gold"))))
          .as(backend)
          .isEqualTo(Set.of("index-ts#0", "runbook#0"));
      Map<String, Object> storageOrJavaCode =
          Map.of(
              "or",
              List.of(
                  Map.of("field", "metadata.team", "in", List.of("storage")),
                  Map.of(
                      "and",
                      List.of(
                          Map.of("field", "language", "eq", "java"),
                          Map.of("field", "source_type", "eq", "code")))));
      assertThat(found(backend, Map.of("filter", storageOrJavaCode)))
          .as(backend)
          .isEqualTo(Set.of("pg-hnsw#0", "chroma-collections#0", "retry-java#0"));

      assertThat(found(backend, Map.of("file_paths", List.of("docs/kafka/*", "src/**/*.py"))))
          .as(backend)
          .isEqualTo(Set.of("kafka-consumers#0", "kafka-brokers#0", "search-py#0"));
      Map<String, Object> docsOfStorage =
          Map.of(
              "and",
              List.of(
                  Map.of("field", "source", "glob", "docs/**"),
                  Map.of("field", "metadata.team", "eq", "storage")));
      assertThat(found(backend, Map.of("filter", docsOfStorage)))
          .as(backend)
          .isEqualTo(Set.of("pg-hnsw#0", "chroma-collections#0"));

      Http.Answer count =
          api.get(
              "/query/count?index=" + served.index + "&backend=" + backend + "&source_types=doc");
      assertThat(count.json().path("count").asLong()).as(backend).isEqualTo(5);
    }
  }

  /** Chunk ids a search on {@code backend} finds with the given filter fields (auth is off). */
  private Set<String> found(String backend, Map<String, Object> filters) {
    Map<String, Object> body = query("query", "search", "top_k", 10, "backend", backend);
    body.putAll(filters);
    return Set.copyOf(ids(api.query(body)));
  }

  @Test
  @DisplayName("a filter value with SQL in it is a value like any other: no error, no match")
  void injectionIsJustAValue() {
    Http.Answer answer =
        api.query(
            query(
                "query",
                "kafka",
                "metadata",
                Map.of("team' OR '1'='1", "x'); DROP TABLE chunks; --")));
    assertThat(answer.status()).isEqualTo(200);
    assertThat(ids(answer)).isEmpty();
  }

  @Test
  @DisplayName(
      "an index whose contract the service cannot serve answers 409 and /health/status says why")
  void contractMismatch() {
    ServedIndex wrong = ServedIndex.register("wrongdim", ServedIndex.MODEL, 768);
    try (QueryServer server = wrong.serve(b -> b)) {
      Http http = new Http(server.port());
      Http.Answer answer = http.query(Map.of("query", "kafka", "index", wrong.index));
      assertThat(answer.status()).isEqualTo(409);
      assertThat(answer.detail()).contains("768").contains(ServedIndex.MODEL);
      JsonNode status = http.get("/health/status").json().path("indexes").path(wrong.index);
      assertThat(status.path("servable").asBoolean()).isFalse();
      assertThat(status.path("refusal").asText()).contains("768");
    } finally {
      wrong.close();
    }
  }

  @Test
  @DisplayName("an index whose model this build cannot load answers 409 naming the model")
  void unknownModelIsRefused() {
    ServedIndex unknown = ServedIndex.register("nomodel", "no-such-model-v9", 384);
    try (QueryServer server = unknown.serve(b -> b)) {
      Http.Answer answer =
          new Http(server.port()).query(Map.of("query", "kafka", "index", unknown.index));
      assertThat(answer.status()).isEqualTo(409);
      assertThat(answer.detail()).contains("no-such-model-v9");
      assertNoInternals(answer);
    } finally {
      unknown.close();
    }
  }

  @Test
  @DisplayName(
      "an unknown index, chunk or route answers 404, a known route asked with another method 405; a known chunk answers 200")
  void notFound() {
    assertThat(api.query(Map.of("query", "kafka", "index", "no_such_index")).status())
        .isEqualTo(404);
    assertThat(api.get("/query/chunk/nope%230?index=" + served.index).status()).isEqualTo(404);
    assertThat(api.get("/nowhere").status()).isEqualTo(404);
    assertThat(api.get("/indexes/no_such_index").status()).isEqualTo(404);
    Http.Answer wrongMethod = api.delete("/query");
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.raw().headers().firstValue("Allow"))
        .hasValueSatisfying(allow -> assertThat(allow).contains("GET", "POST"));
    assertThat(wrongMethod.json().path("detail").asText())
        .contains("/query does not answer DELETE");
    Http.Answer chunk = api.get("/query/chunk/runbook%230?index=" + served.index);
    assertThat(chunk.status()).isEqualTo(200);
    assertThat(chunk.json().path("source").asText()).isEqualTo("ops/runbook.md");
  }

  @Test
  @DisplayName("when every search slot is taken, a search answers 429 with Retry-After at once")
  void saturation() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch entered = new CountDownLatch(1);
    Retriever slow = new HeldRetriever(ServedIndex.postgres(), entered, release);
    try (QueryServer server =
        served.serve(Map.of(Backend.POSTGRES, slow), b -> b.admission(1, Duration.ZERO))) {
      Http http = new Http(server.port());
      var first = CompletableFuture.supplyAsync(() -> http.query(query("query", "kafka")));
      assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

      Http.Answer refused = http.query(query("query", "kafka"));
      assertThat(refused.status()).isEqualTo(429);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      release.countDown();
      assertThat(first.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
      assertThat(http.get("/health").json().path("searches").path("refused").asLong()).isEqualTo(1);
    }
  }

  @Test
  @DisplayName(
      "an unreachable backend answers 503 with Retry-After and nothing of the driver's message")
  void unreachableBackend() {
    Retriever down =
        new PostgresStore(
            new PostgresConfig(
                "jdbc:postgresql://127.0.0.1:1/agentbrain",
                "postgres",
                "",
                1,
                Duration.ofMillis(300),
                100));
    try (QueryServer server = served.serve(Map.of(Backend.POSTGRES, down), b -> b)) {
      Http.Answer answer = new Http(server.port()).query(query("query", "kafka"));
      assertThat(answer.status()).isEqualTo(503);
      assertThat(answer.header("Retry-After")).isEqualTo("1");
      assertThat(answer.json().path("detail").asText())
          .startsWith("postgres did not answer: unreachable, or failing");
      assertNoInternals(answer);
    }
  }

  @Test
  @DisplayName(
      "when every pooled PostgreSQL connection stays busy, a search answers 503 with Retry-After")
  void poolExhausted() throws Exception {
    LocalServices.Postgres pg = LocalServices.requirePostgres();
    PostgresStore onePool =
        new PostgresStore(
            new PostgresConfig(
                pg.jdbcUrl(), pg.user(), pg.password(), 1, Duration.ofMillis(300), 100));
    try (Connection locker = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        QueryServer server = served.serve(Map.of(Backend.POSTGRES, onePool), b -> b)) {
      Http http = new Http(server.port());
      http.query(query("query", "kafka")); // loads the model before the pool is made busy
      lockChunks(locker);
      // this search takes the only connection and waits on the lock
      CompletableFuture<Http.Answer> held =
          CompletableFuture.supplyAsync(() -> http.query(query("query", "kafka")));
      org.awaitility.Awaitility.await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> onePool.poolStats().orElseThrow().active() == 1);

      Http.Answer refused = http.query(query("query", "kafka"));
      locker.rollback();

      assertThat(refused.status()).isEqualTo(503);
      assertThat(refused.header("Retry-After")).isEqualTo("1");
      assertNoInternals(refused);
      assertThat(held.get(30, TimeUnit.SECONDS).status()).isEqualTo(200);
    }
  }

  @Test
  @DisplayName(
      "a search PostgreSQL runs past the reader's statement timeout answers 503 at the timeout, not when the database is free")
  void statementTimeoutReachesPostgres() throws Exception {
    LocalServices.Postgres pg = LocalServices.requirePostgres();
    PostgresStore reader =
        PostgresStore.reader(
            PostgresConfig.of(pg.jdbcUrl(), pg.user(), pg.password()), Duration.ofMillis(500));
    try (Connection locker = DriverManager.getConnection(pg.jdbcUrl(), pg.user(), pg.password());
        QueryServer server = served.serve(Map.of(Backend.POSTGRES, reader), b -> b)) {
      Http http = new Http(server.port());
      assertThat(http.query(query("query", "kafka", "mode", "bm25")).status()).isEqualTo(200);
      lockChunks(locker);
      long start = System.nanoTime();
      Http.Answer cancelled = http.query(query("query", "kafka", "mode", "bm25"));
      long millis = (System.nanoTime() - start) / 1_000_000;
      locker.rollback();

      assertThat(cancelled.status()).isEqualTo(503);
      assertThat(cancelled.header("Retry-After")).isEqualTo("1");
      assertNoInternals(cancelled);
      assertThat(millis).isBetween(400L, 10_000L);
      assertThat(http.query(query("query", "kafka", "mode", "bm25")).status()).isEqualTo(200);
    }
  }

  /** Locks the index's table in a transaction of {@code locker} until it rolls back. */
  private void lockChunks(Connection locker) throws java.sql.SQLException {
    locker.setAutoCommit(false);
    try (Statement lock = locker.createStatement()) {
      lock.execute("LOCK TABLE chunks_" + served.physical + " IN ACCESS EXCLUSIVE MODE");
    }
  }

  @Test
  @DisplayName("a backend failure with SQL in its message reaches the client as a plain sentence")
  void noLeakOfInternals() {
    Retriever broken = new FailingRetriever(ServedIndex.postgres());
    try (QueryServer server = served.serve(Map.of(Backend.POSTGRES, broken), b -> b)) {
      Http http = new Http(server.port());
      Http.Answer storage = http.query(query("query", "kafka"));
      assertThat(storage.status()).isEqualTo(503);
      assertNoInternals(storage);
      Http.Answer unexpected = http.query(query("query", "kafka", "mode", "bm25"));
      assertThat(unexpected.status()).isEqualTo(500);
      assertNoInternals(unexpected);
      assertThat(unexpected.detail()).isEqualTo("internal error — the server log has the details");
    }
  }

  @Test
  @DisplayName(
      "a request Jetty itself refuses still answers the API's JSON shape, not an HTML page")
  void unparsableRequestsAnswerJson() throws Exception {
    String badPath = raw("GET /% HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
    assertThat(badPath).startsWith("HTTP/1.1 400").contains("{\"detail\":").doesNotContain("<h1>");
    String bigHeader =
        raw(
            "GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: "
                + "a".repeat(70_000)
                + "\r\nConnection: close\r\n\r\n");
    assertThat(bigHeader).startsWith("HTTP/1.1 431").contains("headers are too large");
  }

  @Test
  @DisplayName(
      "300 clients that send their headers a byte a second (slowloris) hold no thread: searches"
          + " and /health still answer at once")
  void slowClientsDoNotStarveOthers() throws Exception {
    List<java.net.Socket> slow = new ArrayList<>();
    Http http = new Http(open.port());
    try {
      for (int i = 0; i < 300; i++) {
        java.net.Socket socket = new java.net.Socket("127.0.0.1", open.port());
        socket
            .getOutputStream()
            .write(
                "GET /health HTTP/1.1\r\nHost: localhost\r\n".getBytes(StandardCharsets.US_ASCII));
        slow.add(socket);
      }
      for (int second = 0; second < 5; second++) {
        for (java.net.Socket socket : slow) {
          socket.getOutputStream().write('X'); // one more byte of a header that never ends
        }
        long started = System.nanoTime();
        Http.Answer health = http.get("/health");
        Http.Answer search = http.query(query("query", "kafka", "mode", "bm25"));
        long millis = (System.nanoTime() - started) / 1_000_000;
        assertThat(health.status()).isEqualTo(200);
        assertThat(search.status()).isEqualTo(200);
        assertThat(millis)
            .as("a health check and a search beside 300 slow clients")
            .isLessThan(2_000);
        Thread.sleep(1_000);
      }
    } finally {
      for (java.net.Socket socket : slow) {
        socket.close();
      }
    }
  }

  private String raw(String request) throws Exception {
    return raw(open.port(), request);
  }

  private static String raw(int port, String request) throws Exception {
    try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }
  }

  private static void assertNoInternals(Http.Answer answer) {
    assertThat(answer.json().fieldNames()).toIterable().containsExactly("detail");
    assertThat(answer.body())
        .doesNotContain(
            "SELECT", "jdbc", "org.postgresql", "Exception", "\tat ", "PSQL", "relation", "secret");
  }

  @Test
  @DisplayName("every route is described in /openapi.json")
  void openApiListsEveryRoute() {
    JsonNode paths = api.get("/openapi.json").json().path("paths");
    assertThat(api.get("/openapi.json").json().path("openapi").asText()).isEqualTo("3.1.0");
    Set<String> missing = new HashSet<>();
    for (Route route : open.routes()) {
      String method = route.method().name().toLowerCase(java.util.Locale.ROOT);
      if (!paths.path(route.path()).has(method)) {
        missing.add(method + " " + route.path());
      }
    }
    assertThat(missing).isEmpty();
  }

  @Test
  @DisplayName("/indexes shows the contract, counts per backend and the primary; /health the pool")
  void indexesAndHealth() {
    Http.Answer one = api.get("/indexes/" + served.index);
    assertThat(one.json().path("model").asText()).isEqualTo(ServedIndex.MODEL);
    assertThat(one.json().path("chunks").path("postgres").asLong()).isEqualTo(8);
    assertThat(one.json().path("chunks").path("chroma").asLong()).isEqualTo(8);
    assertThat(one.json().path("primary_backend").asText()).isEqualTo("postgres");
    assertThat(one.json().path("versions").get(0).asInt()).isEqualTo(served.contract.getVersion());
    JsonNode health = api.get("/health").json();
    assertThat(health.path("pools").path("postgres").path("max").asInt()).isPositive();
  }

  @Test
  @DisplayName("a repeated query is embedded once: the cache hit shows in /metrics")
  void queryCache() {
    String text = "a query asked twice " + System.nanoTime();
    api.query(query("query", text));
    api.query(query("query", text));
    String metrics = api.get("/metrics").body();
    assertThat(metrics).contains("agentbrain_query_cache_hits_total");
    JsonNode cache = api.get("/health/status").json().path("query_cache");
    assertThat(cache.path("hits").asLong()).isPositive();
  }

  /** Holds every vector search until released, so a test can keep a search slot busy. */
  private static final class HeldRetriever extends ForwardingRetriever {
    private final CountDownLatch entered;
    private final CountDownLatch release;

    HeldRetriever(Retriever real, CountDownLatch entered, CountDownLatch release) {
      super(real);
      this.entered = entered;
      this.release = release;
    }

    @Override
    public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return super.vectorSearch(physicalName, query);
    }
  }

  /** Fails the way a careless driver would: with SQL and internals in the message. */
  private static final class FailingRetriever extends ForwardingRetriever {
    FailingRetriever(Retriever real) {
      super(real);
    }

    @Override
    public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
      throw new StorageException(
          "ERROR: relation \"secret\" does not exist in SELECT * FROM secret (org.postgresql.util.PSQLException)");
    }

    @Override
    public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
      throw new IllegalStateException("SELECT secret FROM jdbc:postgresql://db/agentbrain");
    }
  }
}
