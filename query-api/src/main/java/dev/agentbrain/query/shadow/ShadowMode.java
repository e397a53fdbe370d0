package dev.agentbrain.query.shadow;

import dev.agentbrain.config.Backend;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.Route;
import dev.agentbrain.query.RouteGroup;
import dev.agentbrain.query.SearchObserver;
import dev.agentbrain.query.SearchService;
import dev.agentbrain.query.StatusSection;
import dev.agentbrain.roles.Roles;
import dev.agentbrain.topics.SinkLag;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;

/**
 * Shadow mode in the query API: the query mirror, the write lag of both sinks, the latest
 * reconciliation, and {@code GET /admin/shadow} (admin token when auth is on) with all of it. The
 * {@code shadow} status section (read token) carries the sinks' write lag, which the indexing page
 * shows. Register it with one line each: {@link #routes()}, {@link #status()} before the server
 * starts, {@link #observer} once the search service exists.
 */
public final class ShadowMode implements AutoCloseable {

  /** Comparisons the window keeps, and worst queries kept with both result lists. */
  static final int WINDOW = 1000;

  static final int WORST = 10;

  /** Stretches of time the report's agreement timeline is cut into. */
  static final int TIMELINE_PERIODS = 30;

  private final Supplier<Roles> roles;
  private final double sample;
  private final ShadowMirror mirror;
  private final WriteLag lag;
  private final ReconciliationLog reconciliations;

  /**
   * @param roles the current roles (cached; see {@link dev.agentbrain.roles.LiveRoles})
   * @param sample share of live queries replayed on the shadow, 0 to 1
   * @param queueCapacity replays waiting at most; more are dropped and counted
   */
  public ShadowMode(
      Supplier<Roles> roles,
      double sample,
      int queueCapacity,
      SinkLag sinkLag,
      ReconciliationLog reconciliations,
      MeterRegistry meters) {
    this.roles = roles;
    this.sample = sample;
    this.reconciliations = reconciliations;
    this.mirror =
        new ShadowMirror(
            roles,
            sample,
            queueCapacity,
            new ShadowWindow(WINDOW, WORST),
            meters,
            () -> ThreadLocalRandom.current().nextDouble());
    this.lag = new WriteLag(sinkLag, meters, 5_000);
    RoleGauges.register(meters, roles);
  }

  /** The observer that mirrors the searches {@code search} answers. */
  public SearchObserver observer(SearchService search) {
    return new ShadowQueries(mirror, search);
  }

  /** {@code GET /admin/shadow}. */
  public RouteGroup routes() {
    return () -> List.of(Route.get("/admin/shadow", Access.ADMIN, ctx -> ctx.json(report())));
  }

  /** The {@code shadow} section of {@code /health/status}: the roles and the headline numbers. */
  public StatusSection status() {
    return new StatusSection() {
      @Override
      public String name() {
        return "shadow";
      }

      @Override
      public Object status() {
        Map<String, Object> body = new LinkedHashMap<>();
        ShadowWindow.Summary summary = mirror.window().summary();
        body.put("roles", roles(currentRoles()));
        body.put("compared", summary.comparisons());
        body.put("rbo_mean", finite(summary.rbo().mean()));
        body.put("error_rate", summary.errorRate());
        body.put("write_lag", writeLag());
        return body;
      }
    };
  }

  /**
   * Records of the chunks topic each sink has not committed, by backend ({@code null} before the
   * first read), with {@code problem} when the last read failed.
   */
  private Map<String, Object> writeLag() {
    Map<String, Object> writeLag = new LinkedHashMap<>();
    for (Backend backend : Backend.values()) {
      writeLag.put(backend.id(), lag.of(backend).map(Double::longValue).orElse(null));
    }
    lag.problem().ifPresent(p -> writeLag.put("problem", p));
    return writeLag;
  }

  /** Everything {@code GET /admin/shadow} shows. */
  public Map<String, Object> report() {
    Roles current = currentRoles();
    ShadowWindow.Summary summary = mirror.window().summary();
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("roles", roles(current));
    body.put("sample_rate", sample);
    Map<String, Object> queries = new LinkedHashMap<>();
    queries.put("in_window", summary.comparisons());
    queries.put("failed", summary.failed());
    queries.put("error_rate", summary.errorRate());
    queries.put("dropped_since_start", mirror.dropped());
    body.put("queries", queries);
    body.put("overlap", stats(summary.overlap(), "p10"));
    Map<String, Object> rbo = stats(summary.rbo(), "p10");
    rbo.put("p", RankAgreement.RBO_P);
    body.put("rbo", rbo);
    body.put("score_difference", stats(summary.scoreDifference(), "p90"));
    Map<String, Object> byMode = new LinkedHashMap<>();
    mirror
        .window()
        .byMode()
        .forEach(
            (mode, s) -> {
              Map<String, Object> entry = new LinkedHashMap<>();
              entry.put("compared", s.overlap().count());
              entry.put("failed", s.failed());
              entry.put("overlap_mean", finite(s.overlap().mean()));
              entry.put("rbo_mean", finite(s.rbo().mean()));
              entry.put("rbo_p10", finite(s.rbo().percentile()));
              byMode.put(mode, entry);
            });
    body.put("by_mode", byMode);
    List<Map<String, Object>> timeline = new ArrayList<>();
    for (ShadowWindow.Period period : mirror.window().timeline(TIMELINE_PERIODS)) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("from", period.from().toString());
      entry.put("compared", period.compared());
      entry.put("failed", period.failed());
      entry.put("rbo_mean", finite(period.rboMean()));
      entry.put("overlap_mean", finite(period.overlapMean()));
      timeline.add(entry);
    }
    body.put("timeline", timeline);
    Map<String, Object> latency = new LinkedHashMap<>();
    latency.put("primary", stats(summary.primaryMillis(), "p95"));
    latency.put("shadow", stats(summary.shadowMillis(), "p95"));
    latency.put("ratio_median", finite(summary.latencyRatio()));
    body.put("latency_ms", latency);
    body.put("write_lag", writeLag());
    Object reconciliation;
    try {
      reconciliation = reconciliations.latest().map(Object.class::cast).orElse(null);
    } catch (RuntimeException e) {
      reconciliation = Map.of("problem", "the schema registry did not answer");
    }
    body.put("reconciliation", reconciliation);
    List<Map<String, Object>> worst = new ArrayList<>();
    for (QueryComparison comparison : mirror.window().worst()) {
      worst.add(worst(comparison));
    }
    body.put("worst_queries", worst);
    return body;
  }

  /** The mirror, for tests. */
  ShadowMirror mirror() {
    return mirror;
  }

  private Roles currentRoles() {
    return roles.get();
  }

  private static Map<String, Object> roles(Roles roles) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("primary", roles.primary().id());
    body.put("shadow", roles.shadow().map(Backend::id).orElse("none"));
    return body;
  }

  private static Map<String, Object> worst(QueryComparison c) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("at", c.at().toString());
    body.put("query", c.query());
    body.put("index", c.index());
    body.put("mode", c.mode());
    c.agreement()
        .ifPresent(
            a -> {
              body.put("overlap", a.overlap());
              body.put("rbo", a.rbo());
              body.put("mean_score_difference", a.meanScoreDifference());
            });
    c.error().ifPresent(e -> body.put("shadow_error", e));
    body.put("primary_backend", c.primaryBackend());
    body.put("shadow_backend", c.shadowBackend());
    body.put("primary", hits(c.primary()));
    body.put("shadow", c.shadow().map(ShadowMode::hits).orElse(List.of()));
    return body;
  }

  private static List<Map<String, Object>> hits(Ranking ranking) {
    List<Map<String, Object>> hits = new ArrayList<>();
    for (int i = 0; i < ranking.chunkIds().size(); i++) {
      Map<String, Object> hit = new LinkedHashMap<>();
      hit.put("chunk_id", ranking.chunkIds().get(i));
      hit.put("score", ranking.scores().get(i));
      hits.add(hit);
    }
    return hits;
  }

  private static Map<String, Object> stats(ShadowWindow.Stats stats, String percentileName) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("count", stats.count());
    body.put("mean", finite(stats.mean()));
    body.put("median", finite(stats.median()));
    body.put(percentileName, finite(stats.percentile()));
    return body;
  }

  /** JSON has no NaN: an unknown number is null. */
  private static Double finite(double value) {
    return Double.isFinite(value) ? value : null;
  }

  @Override
  public void close() {
    mirror.close();
    lag.close();
  }
}
