package dev.agentbrain.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.ChunkRecord;
import io.javalin.http.Context;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
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
        Route.get("/query/count", Access.READ, this::count),
        Route.get("/query/chunk/{id}", Access.READ, this::chunk));
  }

  private void postQuery(Context ctx) {
    QueryRequest request;
    try {
      request = QueryApi.JSON.readValue(ctx.body(), QueryRequest.class);
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'");
    } catch (MismatchedInputException e) {
      String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
      throw ApiException.badRequest(
          field == null
              ? "the body must be a JSON object with at least a \"query\" field"
              : "field '" + field + "' has the wrong type");
    } catch (IOException e) {
      throw ApiException.badRequest(
          "the body must be a JSON object with at least a \"query\" field");
    }
    if (request == null) {
      throw ApiException.badRequest(
          "the body must be a JSON object with at least a \"query\" field");
    }
    answer(ctx, request);
  }

  private void getQuery(Context ctx) {
    for (String name : ctx.queryParamMap().keySet()) {
      if (!QUERY_PARAMS.contains(name)) {
        throw ApiException.badRequest("unknown parameter '" + name + "'");
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
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("chunk_id", chunk.chunkId());
    body.put("document_id", chunk.documentId());
    body.put("document_version", chunk.documentVersion());
    body.put("position", chunk.position());
    body.put("text", chunk.text());
    body.put("source", chunk.source());
    body.put("source_type", chunk.sourceType());
    body.put("language", chunk.language());
    body.put("heading_path", chunk.headingPath());
    body.put("content_hash", chunk.contentHash());
    body.put("metadata", chunk.metadata());
    body.put("index", index);
    body.put("backend", backend.orElse(search.primary()).id());
    ctx.json(body);
  }

  /**
   * The backend a request asks for. Asking for one other than the primary is an admin's right: with
   * auth on, it needs the admin token.
   */
  private Optional<Backend> backendOverride(Context ctx, String requested) {
    Optional<Backend> backend = search.backendNamed(requested);
    if (backend.isPresent()
        && backend.get() != search.primary()
        && !auth.isAdmin(ctx.header("Authorization"))) {
      throw ApiException.forbidden(
          "choosing the backend ('backend') needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    }
    return backend;
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
      throw ApiException.badRequest(name + " must be a whole number");
    }
  }

  private static Double doubleParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    try {
      return value == null ? null : Double.valueOf(value.strip());
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a number");
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
      default -> throw ApiException.badRequest(name + " must be true or false");
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
      throw ApiException.badRequest(name + " must be a JSON filter expression");
    }
  }
}
