package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.jobs.ConnectingIndexingJobs;
import dev.agentbrain.jobs.IndexRoots;
import dev.agentbrain.jobs.IndexingJobs;
import dev.agentbrain.jobs.KafkaIndexingJobs;
import dev.agentbrain.jobs.Searchability;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.IndexingRoutes;
import dev.agentbrain.query.RouteGroup;
import dev.agentbrain.query.StatusSection;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * The indexing jobs of {@code agent-brain serve}: the service behind {@code /index} (and the MCP
 * tools), wired from the settings: documents published onto the pipeline's topics, folders limited
 * to {@code AGENT_BRAIN_INDEX_ROOTS}, jobs done when the primary backend serves them.
 */
final class ServeJobs implements AutoCloseable {

  private final List<Retriever> stores;
  private final AtomicReference<DocumentPublisher> publisher;
  private final ConnectingIndexingJobs jobs;

  private ServeJobs(
      List<Retriever> stores,
      AtomicReference<DocumentPublisher> publisher,
      ConnectingIndexingJobs jobs) {
    this.stores = stores;
    this.publisher = publisher;
    this.jobs = jobs;
  }

  /**
   * Starts connecting to Kafka and the registry in the background (creating the topics when
   * missing), then follows and runs jobs; until both answer, the jobs answer 503 and queries are
   * served as usual.
   *
   * @param primary the backend that answers queries now, read on every check
   */
  static ServeJobs start(Wiring wiring, Supplier<Backend> primary) {
    Settings settings = wiring.settings;
    List<Retriever> stores = new ArrayList<>();
    Map<Backend, ChunkScan> scans = new EnumMap<>(Backend.class);
    // the query API only reads: PostgreSQL as the read-only user, like its searches
    for (Backend backend : wiring.sinkBackends()) {
      switch (backend) {
        case POSTGRES -> {
          PostgresStore store = wiring.postgresReader();
          stores.add(store);
          scans.put(backend, store);
        }
        case CHROMA -> {
          ChromaStore store = wiring.chroma();
          stores.add(store);
          scans.put(backend, store);
        }
      }
    }
    Searchability searchability =
        new Searchability(
            scans,
            primary,
            new LiveContracts(wiring.contracts(), Duration.ofSeconds(5), Clock.systemUTC()));
    AtomicReference<DocumentPublisher> connected = new AtomicReference<>();
    ConnectingIndexingJobs jobs =
        new ConnectingIndexingJobs(
            () -> {
              DocumentPublisher publisher =
                  DocumentPublisher.connect(wiring.bootstrap(), wiring.registeredTopics());
              connected.set(publisher);
              try {
                return new KafkaIndexingJobs(
                        wiring.bootstrap(),
                        wiring.topics(),
                        publisher,
                        new IndexRoots(settings.get(Settings.INDEX_ROOTS)),
                        searchability,
                        index ->
                            IndexContracts.ensure(
                                wiring.contracts(), index, settings.get(Settings.EMBEDDING_MODEL)),
                        "agent-brain-serve@" + PublishCommand.hostName(),
                        Clock.systemUTC())
                    .start();
              } catch (RuntimeException e) {
                connected.set(null);
                publisher.close();
                throw e;
              }
            });
    return new ServeJobs(stores, connected, jobs);
  }

  /** The service, for the HTTP routes and the MCP tools. */
  IndexingJobs jobs() {
    return jobs;
  }

  /** {@code jobs} in {@code /health/status}: whether jobs can be served yet, and if not why. */
  StatusSection status() {
    return new StatusSection() {
      @Override
      public String name() {
        return "jobs";
      }

      @Override
      public Object status() {
        return jobs.status();
      }
    };
  }

  /** {@code /index...}. */
  RouteGroup routes() {
    return new IndexingRoutes(jobs);
  }

  @Override
  public void close() {
    jobs.close();
    Optional.ofNullable(publisher.get()).ifPresent(DocumentPublisher::close);
    stores.forEach(Retriever::close);
  }
}
