package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.storage.Retriever;
import io.javalin.Javalin;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/**
 * The query service: an HTTP server over the retrievers of the configured backends. Stateless apart
 * from caches, so any number of replicas can run.
 */
public final class QueryServer implements AutoCloseable {

  private final Javalin app;
  private final QueryEmbedder embedder;
  private final Map<Backend, Retriever> retrievers;

  private QueryServer(Javalin app, QueryEmbedder embedder, Map<Backend, Retriever> retrievers) {
    this.app = app;
    this.embedder = embedder;
    this.retrievers = retrievers;
  }

  /**
   * Starts serving on {@code host:port} (port 0 picks a free one).
   *
   * @param retrievers every backend that may be asked; {@code primary} answers by default
   * @param embeddingThreads concurrent query embeddings
   */
  public static QueryServer start(
      String host,
      int port,
      ContractRegistry registry,
      Map<Backend, Retriever> retrievers,
      Backend primary,
      int embeddingThreads) {
    if (!retrievers.containsKey(primary)) {
      throw new IllegalArgumentException(
          "the primary backend " + primary.id() + " is not configured");
    }
    LiveContracts contracts = new LiveContracts(registry, Duration.ofSeconds(2), Clock.systemUTC());
    QueryEmbedder embedder = new QueryEmbedder(embeddingThreads);
    SearchService search = new SearchService(registry, contracts, retrievers, primary, embedder);
    // load the model of the default index before the first request arrives
    contracts.of(SearchService.DEFAULT_INDEX).ifPresent(embedder::prepare);
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    new JvmThreadMetrics().bindTo(meters);
    Javalin app = new QueryApi(search, meters).app().start(host, port);
    return new QueryServer(app, embedder, retrievers);
  }

  /** The port it listens on. */
  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
    embedder.close();
    retrievers.values().forEach(Retriever::close);
  }
}
