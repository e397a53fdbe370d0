package dev.agentbrain.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentbrain.config.Backend;
import dev.agentbrain.query.shadow.RankAgreement;
import dev.agentbrain.query.shadow.Ranking;
import dev.agentbrain.storage.ChunkRecord;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** {@code /query} and its neighbours: search, count, one chunk. */
final class QueryRoutes implements RouteGroup {

  /** Parameters {@code GET /query} accepts; anything else is a 400, as unknown JSON fields are. */
  private static final Set<String> QUERY_PARAMS =
      Set.of(
          "q",
          "query",
          "top_k",
          "similarity_threshold",
          "mode",
          "index",
          "backend",
          "alpha",
          "rrf_k",
          "vector_weight",
          "bm25_weight",
          "offset",
          "explain",
          "source_types",
          "languages",
          "file_paths",
          "document_ids",
          "filter");

  private final SearchService search;
  private final ApiAuth auth;
  private final MeterRegistry meters;

  QueryRoutes(SearchService search, ApiAuth auth, MeterRegistry meters) {
    this.search = search;
    this.auth = auth;
    this.meters = meters;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/query", Access.READ, this::postQuery),
        Route.get("/query", Access.READ, this::getQuery),
        Route.post("/query/compare", Access.READ, this::compare),
        Route.get("/query/count", Access.READ, this::count),
        Route.get("/query/chunk/{id}", Access.READ, this::chunk));
  }

  private void postQuery(Context ctx) {
    answer(ctx, QueryRequest.fromJson(RequestBodies.json(ctx)));
  }

  private void getQuery(Context ctx) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!QUERY_PARAMS.contains(name)) {
        throw new InvalidRequestException("unknown parameter '" + name + "'");
      }
    }
    String q = ctx.queryParam("query") != null ? ctx.queryParam("query") : ctx.queryParam("q");
    answer(ctx, fromParams(ctx, q));
  }

  private void answer(Context ctx, QueryRequest request) {
    long started = System.nanoTime();
    QueryResponse response =
        search.search(request.toSearch(backendOverride(ctx, request.backend())));
    meters
        .timer("agentbrain.query", "mode", response.mode(), "backend", response.backend())
        .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
    ctx.json(response);
  }

  /**
   * The same search on every backend, with how far the primary's and the other's rankings agree
   * (the shadow report's measures). Asking a backend that is not the primary needs the admin token,
   * as {@code backend} does on {@code /query}.
   */
  private void compare(Context ctx) {
    QueryRequest request = QueryRequest.fromJson(RequestBodies.json(ctx));
    if (request.backend() != null) {
      throw new InvalidRequestException("/query/compare asks every backend: leave 'backend' out");
    }
    boolean admin = auth.isAdmin(ctx.header("Authorization"));
    Backend primary = search.primary();
    // every backend allowed before any is asked
    Map<Backend, Optional<Backend>> chosen = new LinkedHashMap<>();
    search.backends().stream()
        .sorted()
        .forEach(b -> chosen.put(b, search.backendOverride(b.id(), admin)));
    Map<String, Object> answers = new LinkedHashMap<>();
    Map<Backend, Ranking> rankings = new LinkedHashMap<>();
    for (Backend backend : chosen.keySet()) {
      QueryResponse response = search.search(request.toSearch(chosen.get(backend)));
      answers.put(backend.id(), response);
      rankings.put(
          backend,
          new Ranking(
              response.results().stream().map(QueryResult::chunkId).toList(),
              response.results().stream().map(QueryResult::score).toList(),
              response.queryTimeMs()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("primary_backend", primary.id());
    body.put("answers", answers);
    rankings.keySet().stream()
        .filter(b -> b != primary)
        .findFirst()
        .ifPresent(
            other -> {
              Ranking first = rankings.get(primary);
              Ranking second = rankings.get(other);
              RankAgreement agreement = RankAgreement.of(first, second);
              body.put("overlap", agreement.overlap());
              body.put("rbo", agreement.rbo());
              body.put(
                  "shared", first.chunkIds().stream().filter(second.chunkIds()::contains).toList());
            });
    ctx.json(body);
  }

  private void count(Context ctx) {
    QueryRequest filters = fromParams(ctx, null);
    String index = index(ctx);
    Optional<Backend> backend = backendOverride(ctx, ctx.queryParam("backend"));
    long count = search.count(index, filters.toFilter(), backend);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("index", index);
    body.put("backend", backend.orElse(search.primary()).id());
    body.put("count", count);
    ctx.json(body);
  }

  private void chunk(Context ctx) {
    String index = index(ctx);
    Optional<Backend> backend = backendOverride(ctx, ctx.queryParam("backend"));
    ChunkRecord chunk = search.chunk(index, ctx.pathParam("id"), backend);
    ctx.json(ChunkView.of(chunk, index, backend.orElse(search.primary()).id()));
  }

  private Optional<Backend> backendOverride(Context ctx, String requested) {
    return search.backendOverride(requested, auth.isAdmin(ctx.header("Authorization")));
  }

  private static String index(Context ctx) {
    String index = ctx.queryParam("index");
    return index == null || index.isBlank() ? QueryRequest.DEFAULT_INDEX : index.strip();
  }

  private static QueryRequest fromParams(Context ctx, String query) {
    return new QueryRequest(
        query,
        intParam(ctx, "top_k"),
        doubleParam(ctx, "similarity_threshold"),
        ctx.queryParam("mode"),
        ctx.queryParam("index"),
        ctx.queryParam("backend"),
        doubleParam(ctx, "alpha"),
        intParam(ctx, "rrf_k"),
        doubleParam(ctx, "vector_weight"),
        doubleParam(ctx, "bm25_weight"),
        intParam(ctx, "offset"),
        boolParam(ctx, "explain"),
        listParam(ctx, "source_types"),
        listParam(ctx, "languages"),
        listParam(ctx, "file_paths"),
        listParam(ctx, "document_ids"),
        null,
        jsonParam(ctx, "filter"));
  }

  /** A list given as repeated parameters, comma-separated values, or both. */
  private static List<String> listParam(Context ctx, String name) {
    List<String> values =
        ctx.queryParams(name).stream()
            .flatMap(v -> Arrays.stream(v.split(",")))
            .map(String::strip)
            .filter(v -> !v.isEmpty())
            .toList();
    return values.isEmpty() ? null : values;
  }

  private static Integer intParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    try {
      return value == null ? null : Integer.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be a whole number");
    }
  }

  private static Double doubleParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    try {
      return value == null ? null : Double.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw new InvalidRequestException(name + " must be a number");
    }
  }

  private static Boolean boolParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
      case "true", "1", "yes", "" -> true;
      case "false", "0", "no" -> false;
      default -> throw new InvalidRequestException(name + " must be true or false");
    };
  }

  private static JsonNode jsonParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    if (value == null) {
      return null;
    }
    try {
      return QueryApi.JSON.readTree(value);
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(name + " must be a JSON filter expression");
    }
  }
}
