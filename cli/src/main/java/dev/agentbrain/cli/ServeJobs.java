package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.jobs.IndexRoots;
import dev.agentbrain.jobs.IndexingJobs;
import dev.agentbrain.jobs.KafkaIndexingJobs;
import dev.agentbrain.jobs.Searchability;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.query.IndexingRoutes;
import dev.agentbrain.query.RouteGroup;
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
import java.util.function.Supplier;

/**
 * The indexing jobs of {@code agent-brain serve}: the service behind {@code /index} (and the MCP
 * tools), wired from the settings: documents published onto the pipeline's topics, folders limited
 * to {@code AGENT_BRAIN_INDEX_ROOTS}, jobs done when the primary backend serves them.
 */
final class ServeJobs implements AutoCloseable {

  private final DocumentPublisher publisher;
  private final List<Retriever> stores;
  private final KafkaIndexingJobs jobs;

  private ServeJobs(DocumentPublisher publisher, List<Retriever> stores, KafkaIndexingJobs jobs) {
    this.publisher = publisher;
    this.stores = stores;
    this.jobs = jobs;
  }

  /**
   * Connects to Kafka (creating the topics when missing) and starts following and running jobs.
   *
   * @param primary the backend that answers queries now, read on every check
   */
  static ServeJobs start(Wiring wiring, Supplier<Backend> primary) {
    Settings settings = wiring.settings;
    DocumentPublisher publisher =
        DocumentPublisher.connect(wiring.bootstrap(), wiring.registeredTopics());
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
    KafkaIndexingJobs jobs =
        new KafkaIndexingJobs(
                wiring.bootstrap(),
                wiring.topics(),
                publisher,
                new IndexRoots(settings.get(Settings.INDEX_ROOTS)),
                new Searchability(
                    scans,
                    primary,
                    new LiveContracts(
                        wiring.contracts(), Duration.ofSeconds(5), Clock.systemUTC())),
                index ->
                    IndexContracts.ensure(
                        wiring.contracts(), index, settings.get(Settings.EMBEDDING_MODEL)),
                "agent-brain-serve@" + PublishCommand.hostName(),
                Clock.systemUTC())
            .start();
    return new ServeJobs(publisher, stores, jobs);
  }

  /** The service, for the HTTP routes and the MCP tools. */
  IndexingJobs jobs() {
    return jobs;
  }

  /** {@code /index...}. */
  RouteGroup routes() {
    return new IndexingRoutes(jobs);
  }

  @Override
  public void close() {
    jobs.close();
    publisher.close();
    stores.forEach(Retriever::close);
  }
}
