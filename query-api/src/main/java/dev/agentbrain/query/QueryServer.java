package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.registry.Staleness;
import dev.agentbrain.roles.LiveRoles;
import dev.agentbrain.storage.Retriever;
import io.javalin.Javalin;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The query service: an HTTP server over the retrievers of the configured backends. Stateless apart
 * from caches, so any number of replicas can run. Build one with {@link #builder}.
 */
public final class QueryServer implements AutoCloseable {

  private final Javalin app;
  private final QueryApi api;
  private final QueryServices services;

  private QueryServer(Javalin app, QueryApi api, QueryServices services) {
    this.app = app;
    this.api = api;
    this.services = services;
  }

  /**
   * A server over these retrievers (every backend that may be asked); it closes them when closed.
   */
  public static Builder builder(ContractRegistry registry, Map<Backend, Retriever> retrievers) {
    return new Builder(registry, retrievers);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  /** The searches it answers, for features that search too (e.g. a shadow mirror). */
  public SearchService search() {
    return services.search();
  }

  /** Every route it serves. */
  public List<Route> routes() {
    return api.routes();
  }

  @Override
  public void close() {
    app.stop();
    services.close();
  }

  /** Settings of a {@link QueryServer}; every one has a default that suits tests. */
  public static final class Builder {
    private final ContractRegistry registry;
    private final Map<Backend, Retriever> retrievers;
    private Supplier<Backend> primary = () -> Backend.POSTGRES;
    private Optional<Staleness> rolesStaleness = Optional.empty();
    private PrometheusMeterRegistry meters;
    private String host = "127.0.0.1";
    private int port = 0;
    private int embeddingThreads = 1;
    private int queryCacheSize = Settings.API_QUERY_CACHE_SIZE.byDefault();
    private ApiAuth auth = ApiAuth.NONE;
    private int maxInFlight = Settings.API_MAX_IN_FLIGHT.byDefault();
    private Duration admissionWait = Duration.ofMillis(Settings.API_ADMISSION_WAIT_MS.byDefault());
    private final List<RouteGroup> routes = new ArrayList<>();
    private final List<StatusSection> sections = new ArrayList<>();
    private final List<SearchObserver> observers = new ArrayList<>();
    private final List<ServletMount> servlets = new ArrayList<>();
    private QueryServices services;

    private Builder(ContractRegistry registry, Map<Backend, Retriever> retrievers) {
      this.registry = Objects.requireNonNull(registry, "registry");
      this.retrievers = new EnumMap<>(retrievers);
    }

    /** The backend that answers unless an admin asks for another (default postgres). */
    public Builder primary(Backend primary) {
      this.primary = () -> primary;
      return this;
    }

    /**
     * The primary backend read from shared state on every request, so a role change (shadow
     * promotion) takes effect without a restart. The supplier must be fast (cache) and thread-safe.
     */
    public Builder primaryFrom(Supplier<Backend> primary) {
      this.primary = primary;
      return this;
    }

    /**
     * The primary backend read from the registry's roles on every request (they are cached), so a
     * role change (shadow promotion) takes effect without a restart; {@code /health} says when the
     * roles may be stale.
     */
    public Builder rolesFrom(LiveRoles roles) {
      primaryFrom(() -> roles.get().primary());
      this.rolesStaleness = Optional.of(roles.staleness());
      return this;
    }

    /** The registry {@code /metrics} serves (default a new one), for features that add meters. */
    public Builder meters(PrometheusMeterRegistry meters) {
      this.meters = meters;
      return this;
    }

    /** Where to listen (default 127.0.0.1, port 0: a free port). */
    public Builder listen(String host, int port) {
      this.host = host;
      this.port = port;
      return this;
    }

    /** Concurrent query embeddings per model (default 1). */
    public Builder embeddingThreads(int threads) {
      this.embeddingThreads = threads;
      return this;
    }

    /**
     * Query vectors kept in the LRU cache (default that of {@link Settings#API_QUERY_CACHE_SIZE}).
     */
    public Builder queryCacheSize(int entries) {
      this.queryCacheSize = entries;
      return this;
    }

    /** Bearer-token auth (default none: loopback only). */
    public Builder auth(ApiAuth auth) {
      this.auth = auth;
      return this;
    }

    /**
     * Backpressure: searches that may run at once, and how long a request waits for a slot before
     * it is answered 429 (defaults those of {@link Settings#API_MAX_IN_FLIGHT} and {@link
     * Settings#API_ADMISSION_WAIT_MS}).
     */
    public Builder admission(int maxInFlight, Duration wait) {
      this.maxInFlight = maxInFlight;
      this.admissionWait = wait;
      return this;
    }

    /** Adds an area of routes (each must also be in openapi.json). */
    public Builder routes(RouteGroup group) {
      routes.add(group);
      return this;
    }

    /** Adds a section to {@code /health/status} and {@code /indexes/{name}}. */
    public Builder status(StatusSection section) {
      sections.add(section);
      return this;
    }

    /** Adds an observer of every answered search. */
    public Builder observer(SearchObserver observer) {
      observers.add(observer);
      return this;
    }

    /**
     * Serves a servlet at {@code path} (an exact path, e.g. {@code /mcp}) beside the routes,
     * guarded by the same bearer tokens: a request without the access it needs is refused with the
     * API's 401/403 JSON before the servlet sees it. The servlet is made from the services once
     * they exist; it runs asynchronously if it wants, and its {@code destroy} is called on close.
     */
    public Builder servlet(
        String path,
        Access access,
        java.util.function.Function<QueryServices, jakarta.servlet.http.HttpServlet> servlet) {
      servlets.add(new ServletMount(path, access, servlet));
      return this;
    }

    /**
     * The services without HTTP (for a face of its own, such as MCP over stdio): checks every
     * index's contract against the models this service can load. Built once; {@link #start} serves
     * the same. Closing them closes the retrievers.
     *
     * @throws IllegalArgumentException when the primary backend has no retriever
     */
    public QueryServices services() {
      if (services == null) {
        LiveContracts contracts =
            new LiveContracts(registry, Duration.ofSeconds(2), Clock.systemUTC());
        QueryEmbedder embedder = new QueryEmbedder(embeddingThreads, queryCacheSize);
        Admission admission = new Admission(maxInFlight, admissionWait);
        IndexCatalog catalog = new IndexCatalog(registry, contracts, retrievers, primary, embedder);
        SearchService search = new SearchService(catalog, retrievers, primary, embedder, admission);
        observers.forEach(search::observe);
        catalog.checkAllContracts();
        Map<String, Staleness> registryReads = new LinkedHashMap<>();
        registryReads.put("contracts", contracts.staleness());
        rolesStaleness.ifPresent(roles -> registryReads.put("roles", roles));
        ServiceHealth health =
            new ServiceHealth(search, catalog, admission, embedder, registryReads, sections);
        services =
            new QueryServices(
                search, catalog, health, sections, auth, embedder, admission, retrievers);
      }
      return services;
    }

    /**
     * Checks every index's contract against the models this service can load, then starts serving.
     *
     * @throws IllegalStateException when it would listen on a non-loopback address without a token
     * @throws IllegalArgumentException when the primary backend has no retriever
     */
    public QueryServer start() {
      auth.requireSafeBinding(host);
      QueryServices services = services();
      SearchService search = services.search();
      PrometheusMeterRegistry meters =
          meters(
              this.meters != null
                  ? this.meters
                  : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT),
              services.embedder(),
              services.admission(),
              retrievers);
      List<RouteGroup> groups = new ArrayList<>();
      groups.add(new QueryRoutes(search, auth, meters));
      groups.add(new HealthRoutes(services.health()));
      groups.add(new IndexRoutes(services.catalog(), search, List.copyOf(sections)));
      groups.add(new ServiceRoutes(meters));
      groups.add(new PageRoutes());
      groups.addAll(routes);
      QueryApi api = new QueryApi(auth, groups);
      Map<String, ServletMount.Guarded> mounted = new java.util.LinkedHashMap<>();
      for (ServletMount mount : servlets) {
        mounted.put(mount.path(), mount.guarded(auth, services));
      }
      Javalin app = api.app(mounted).start(host, port);
      return new QueryServer(app, api, services);
    }

    private static PrometheusMeterRegistry meters(
        PrometheusMeterRegistry meters,
        QueryEmbedder embedder,
        Admission admission,
        Map<Backend, Retriever> retrievers) {
      new JvmMemoryMetrics().bindTo(meters);
      new JvmThreadMetrics().bindTo(meters);
      FunctionCounter.builder("agentbrain.query.cache.hits", embedder, QueryEmbedder::hits)
          .description("queries whose vector came from the cache")
          .register(meters);
      FunctionCounter.builder("agentbrain.query.cache.misses", embedder, QueryEmbedder::misses)
          .description("queries embedded by the model")
          .register(meters);
      Gauge.builder(
              "agentbrain.query.cache.hit.ratio",
              embedder,
              e -> {
                long total = e.hits() + e.misses();
                return total == 0 ? 0 : (double) e.hits() / total;
              })
          .register(meters);
      Gauge.builder("agentbrain.query.in.flight", admission, Admission::inFlight).register(meters);
      FunctionCounter.builder("agentbrain.query.refused", admission, Admission::refused)
          .description("searches refused with 429 because too many were in flight")
          .register(meters);
      retrievers.forEach(
          (backend, retriever) -> {
            if (retriever.poolStats().isPresent()) {
              Gauge.builder(
                      "agentbrain.pool.active",
                      retriever,
                      r -> r.poolStats().map(p -> p.active()).orElse(0))
                  .tag("backend", backend.id())
                  .register(meters);
              Gauge.builder(
                      "agentbrain.pool.waiting",
                      retriever,
                      r -> r.poolStats().map(p -> p.waiting()).orElse(0))
                  .tag("backend", backend.id())
                  .register(meters);
            }
          });
      return meters;
    }
  }
}
