package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.PoolStats;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /health} (is the service able to answer: 200 or 503, for load balancers) and {@code
 * /health/status} (everything an operator asks next: contracts, pools, load, cache, features).
 */
final class HealthRoutes implements RouteGroup {

  private final SearchService search;
  private final Admission admission;
  private final QueryEmbedder embedder;
  private final List<StatusSection> sections;

  HealthRoutes(
      SearchService search,
      Admission admission,
      QueryEmbedder embedder,
      List<StatusSection> sections) {
    this.search = search;
    this.admission = admission;
    this.embedder = embedder;
    this.sections = sections;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/health", Access.OPEN, this::health),
        Route.get("/health/status", Access.READ, this::status));
  }

  private void health(Context ctx) {
    Map<String, Object> body = health();
    ctx.status(body.get("status").equals("healthy") ? 200 : 503).json(body);
  }

  private Map<String, Object> health() {
    Map<String, Object> backends = new LinkedHashMap<>();
    Map<String, Object> pools = new LinkedHashMap<>();
    Map<String, Object> keyword = new LinkedHashMap<>();
    boolean healthy = true;
    for (Backend backend : search.backends()) {
      String state = search.probe(backend);
      backends.put(backend.id(), state);
      healthy &= backend != search.primary() || !state.equals("unavailable");
      search.retrievers().get(backend).poolStats().ifPresent(p -> pools.put(backend.id(), pool(p)));
      KeywordReadiness readiness = search.retrievers().get(backend).keywordReadiness();
      keyword.put(
          backend.id(),
          Map.of(
              "ready", readiness.ready(),
              "behind", readiness.behind(),
              "detail", readiness.detail()));
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", healthy ? "healthy" : "degraded");
    body.put("primary_backend", search.primary().id());
    body.put("backends", backends);
    body.put("pools", pools);
    body.put("keyword_search", keyword);
    body.put(
        "searches",
        Map.of(
            "in_flight", admission.inFlight(),
            "max_in_flight", admission.maxInFlight(),
            "refused", admission.refused()));
    return body;
  }

  private void status(Context ctx) {
    Map<String, Object> body = health();
    Map<String, Object> indexes = new LinkedHashMap<>();
    search
        .contractVerdicts()
        .forEach(
            (name, verdict) -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("version", verdict.version());
              entry.put("model", verdict.model());
              entry.put("servable", verdict.refusal().isEmpty());
              verdict.refusal().ifPresent(r -> entry.put("refusal", r));
              indexes.put(name, entry);
            });
    body.put("indexes", indexes);
    long hits = embedder.hits();
    long total = hits + embedder.misses();
    body.put(
        "query_cache",
        Map.of(
            "entries",
            embedder.size(),
            "hits",
            hits,
            "misses",
            embedder.misses(),
            "hit_rate",
            total == 0 ? 0.0 : (double) hits / total));
    for (StatusSection section : sections) {
      body.put(section.name(), section.status());
    }
    ctx.json(body);
  }

  private static Map<String, Object> pool(PoolStats p) {
    return Map.of("active", p.active(), "idle", p.idle(), "waiting", p.waiting(), "max", p.max());
  }
}
