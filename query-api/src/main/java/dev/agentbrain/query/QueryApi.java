package dev.agentbrain.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.UnsupportedSearchException;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The HTTP routes of the query service, declared in one place, and the one error table. */
public final class QueryApi {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);
  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final SearchService search;
  private final PrometheusMeterRegistry meters;

  QueryApi(SearchService search, PrometheusMeterRegistry meters) {
    this.search = search;
    this.meters = meters;
  }

  /** A Javalin app with every route; call {@code start(host, port)} on it. */
  Javalin app() {
    Javalin app =
        Javalin.create(
            config -> {
              config.useVirtualThreads = true;
              config.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(JSON, true));
              // the search page: one query, both backends side by side
              config.staticFiles.add("/public", Location.CLASSPATH);
            });
    app.post("/query", this::postQuery);
    app.get("/query", this::getQuery);
    app.get("/health", this::health);
    app.get(
        "/metrics",
        ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape()));
    app.get(
        "/indexes",
        ctx ->
            ctx.json(
                Map.of("indexes", search.indexes(), "primary_backend", search.primary().id())));
    app.exception(ApiException.class, (e, ctx) -> error(ctx, e.status(), e.getMessage()));
    app.exception(UnsupportedSearchException.class, (e, ctx) -> error(ctx, 501, e.getMessage()));
    app.exception(
        StorageException.class,
        (e, ctx) -> {
          LOG.warn("storage failure on {}: {}", ctx.path(), e.getMessage(), e);
          error(
              ctx,
              503,
              "the storage backend failed to answer — try again shortly, or check `make status`");
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected failure on {}", ctx.path(), e);
          error(ctx, 500, "internal error — the server log has the details");
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            error(
                ctx,
                e.getStatus(),
                e.getStatus() == 404
                    ? "no such endpoint: " + ctx.method() + " " + ctx.path()
                    : e.getMessage()));
    return app;
  }

  private void postQuery(Context ctx) {
    QueryRequest request;
    try {
      request = JSON.readValue(ctx.body(), QueryRequest.class);
    } catch (UnrecognizedPropertyException e) {
      throw ApiException.badRequest("unknown field '" + e.getPropertyName() + "'");
    } catch (InvalidFormatException e) {
      throw ApiException.badRequest(
          "field '" + e.getPath().get(0).getFieldName() + "' has the wrong type");
    } catch (java.io.IOException e) {
      throw ApiException.badRequest(
          "the body must be a JSON object with at least a \"query\" field");
    }
    answer(ctx, request);
  }

  private void getQuery(Context ctx) {
    String q = ctx.queryParam("query") != null ? ctx.queryParam("query") : ctx.queryParam("q");
    QueryRequest request =
        new QueryRequest(
            q,
            intParam(ctx, "top_k"),
            doubleParam(ctx, "similarity_threshold"),
            ctx.queryParam("mode"),
            ctx.queryParam("index"),
            ctx.queryParam("backend"),
            doubleParam(ctx, "alpha"),
            intParam(ctx, "rrf_k"),
            doubleParam(ctx, "vector_weight"),
            doubleParam(ctx, "bm25_weight"));
    answer(ctx, request);
  }

  private void answer(Context ctx, QueryRequest request) {
    long started = System.nanoTime();
    QueryResponse response = search.search(request);
    meters
        .timer("agentbrain.query", "mode", response.mode(), "backend", response.backend())
        .record(System.nanoTime() - started, java.util.concurrent.TimeUnit.NANOSECONDS);
    ctx.json(response);
  }

  private void health(Context ctx) {
    Map<String, Object> backends = new LinkedHashMap<>();
    boolean healthy = true;
    for (Map.Entry<Backend, Retriever> entry : search.retrievers().entrySet()) {
      String state = search.probe(entry.getKey());
      backends.put(entry.getKey().id(), state);
      healthy &= entry.getKey() != search.primary() || !state.equals("unavailable");
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "healthy" : "degraded");
    body.put("primary_backend", search.primary().id());
    body.put("backends", backends);
    ctx.status(healthy ? 200 : 503).json(body);
  }

  private static Integer intParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    try {
      return value == null ? null : Integer.valueOf(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a whole number");
    }
  }

  private static Double doubleParam(Context ctx, String name) {
    String value = ctx.queryParam(name);
    try {
      return value == null ? null : Double.valueOf(value);
    } catch (NumberFormatException e) {
      throw ApiException.badRequest(name + " must be a number");
    }
  }

  private static void error(Context ctx, int status, String detail) {
    ctx.status(status).json(Map.of("detail", detail));
  }
}
