package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.registry.Staleness;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.PoolStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the query service is doing, as {@code GET /health} and {@code GET /health/status} show it
 * (and any other face of the service, such as MCP's {@code server_health}). Thread-safe. The
 * backends' states are at most {@link #PROBE_MAX_AGE} old ({@link BackendStates}): a call costs no
 * backend request of its own, however often it comes.
 */
public final class ServiceHealth {

  /** How old the backends' states shown may be. */
  static final Duration PROBE_MAX_AGE = Duration.ofSeconds(1);

  private final SearchService search;
  private final IndexCatalog catalog;
  private final BackendStates states;
  private final Admission admission;
  private final QueryEmbedder embedder;
  private final Map<String, Staleness> registryReads;
  private final List<StatusSection> sections;

  /**
   * @param registryReads what the service read from the registry and keeps serving from while the
   *     registry is away (contracts, roles), by name
   */
  ServiceHealth(
      SearchService search,
      IndexCatalog catalog,
      Admission admission,
      QueryEmbedder embedder,
      Map<String, Staleness> registryReads,
      List<StatusSection> sections) {
    this.search = search;
    this.catalog = catalog;
    this.states =
        new BackendStates(
            List.copyOf(search.backends()), search::probe, PROBE_MAX_AGE, System::nanoTime);
    this.admission = admission;
    this.embedder = embedder;
    this.registryReads = new LinkedHashMap<>(registryReads);
    this.sections = List.copyOf(sections);
  }

  /**
   * Whether the service can answer: {@code status} is {@code healthy}, or {@code degraded} when the
   * primary backend is unavailable; with each backend's state, pools, keyword readiness and load.
   */
  public Map<String, Object> health() {
    Map<String, Object> backends = new LinkedHashMap<>();
    Map<String, Object> pools = new LinkedHashMap<>();
    Map<String, Object> keyword = new LinkedHashMap<>();
    boolean healthy = true;
    BackendStates.Probed probed = states.current();
    for (Backend backend : search.backends()) {
      String state = probed.states().get(backend);
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
    body.put("backends_probed_at", probed.at().toString());
    body.put("pools", pools);
    body.put("keyword_search", keyword);
    body.put("registry", registry());
    body.put(
        "searches",
        Map.of(
            "in_flight", admission.inFlight(),
            "max_in_flight", admission.maxInFlight(),
            "refused", admission.refused()));
    return body;
  }

  /** {@link #health()} and everything an operator asks next: contracts, cache, features. */
  public Map<String, Object> status() {
    Map<String, Object> body = health();
    Map<String, Object> indexes = new LinkedHashMap<>();
    catalog
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
    return body;
  }

  private static Map<String, Object> pool(PoolStats p) {
    return Map.of("active", p.active(), "idle", p.idle(), "waiting", p.waiting(), "max", p.max());
  }

  /**
   * Per thing read from the registry: {@code stale} true while the registry cannot be reached (the
   * last values read are still served) and {@code stale_since}, the first failed refresh.
   */
  private Map<String, Object> registry() {
    Map<String, Object> reads = new LinkedHashMap<>();
    registryReads.forEach(
        (name, staleness) -> {
          Map<String, Object> entry = new LinkedHashMap<>();
          entry.put("stale", staleness.since().isPresent());
          staleness.since().ifPresent(since -> entry.put("stale_since", since.toString()));
          reads.put(name, entry);
        });
    return reads;
  }
}
