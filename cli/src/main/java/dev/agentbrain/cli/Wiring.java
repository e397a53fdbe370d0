package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.ConfigException;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.indexer.BatchSettings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentLimits;
import dev.agentbrain.query.shadow.ReconciliationLog;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.roles.BackendRoles;
import dev.agentbrain.roles.Roles;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.topics.EventSchemas;
import dev.agentbrain.topics.EventSerdes;
import dev.agentbrain.topics.Topics;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Builds the parts every command needs from the settings, in one place. Public for the index
 * lifecycle ({@code dev.agentbrain.cli.lifecycle}), which reaches the services through it.
 */
public final class Wiring {

  final Settings settings;

  public Wiring(Settings settings) {
    settings.validate();
    this.settings = settings;
  }

  /** The settings everything here is built from. */
  public Settings settings() {
    return settings;
  }

  static Wiring fromEnvironment() {
    return new Wiring(Settings.fromEnvironment());
  }

  public String bootstrap() {
    return settings.get(Settings.KAFKA_BOOTSTRAP);
  }

  public Topics topics() {
    return new Topics(
        settings.get(Settings.TOPIC_PREFIX),
        settings.get(Settings.PARTITIONS),
        new EventSerdes(settings.get(Settings.REGISTRY_URL)));
  }

  /**
   * The topics, after making sure the registry holds event schemas to BACKWARD compatibility: for
   * commands that write events.
   */
  public Topics registeredTopics() {
    EventSchemas.enforceCompatibility(registryClient());
    return topics();
  }

  RegistryClient registryClient() {
    return new RegistryClient(settings.get(Settings.REGISTRY_URL));
  }

  public ContractRegistry contracts() {
    return new ContractRegistry(registryClient(), settings.get(Settings.TOPIC_PREFIX));
  }

  /** A store for the backend; the caller closes it. */
  public PostgresStore postgres(int poolSize) {
    return new PostgresStore(
        new PostgresConfig(
            settings.get(Settings.PG_URL),
            settings.get(Settings.PG_USER),
            settings.get(Settings.PG_PASSWORD),
            poolSize,
            PostgresConfig.DEFAULT_CONNECTION_TIMEOUT,
            settings.get(Settings.EF_SEARCH)));
  }

  /**
   * The query API's store: it logs in as the read-only user (AGENT_BRAIN_PG_READ_USER), and its
   * pool size, acquire timeout and statement timeout come from the settings.
   */
  PostgresStore postgresReader() {
    return PostgresStore.reader(
        new PostgresConfig(
            settings.get(Settings.PG_URL),
            settings.get(Settings.PG_READ_USER),
            settings.get(Settings.PG_READ_PASSWORD),
            settings.get(Settings.PG_READ_POOL_SIZE),
            Duration.ofMillis(settings.get(Settings.PG_ACQUIRE_TIMEOUT_MS)),
            settings.get(Settings.EF_SEARCH)),
        Duration.ofMillis(settings.get(Settings.PG_STATEMENT_TIMEOUT_MS)));
  }

  ChromaConfig chromaConfig() {
    return ChromaConfig.of(settings.get(Settings.CHROMA_URL), settings.get(Settings.EF_SEARCH))
        .withToken(settings.get(Settings.CHROMA_TOKEN));
  }

  /** A Chroma store without keyword search: enough for writing and admin commands. */
  public ChromaStore chroma() {
    return new ChromaStore(chromaConfig());
  }

  /** When the indexer sends a batch of chunks to the embedding model. */
  public BatchSettings batches() {
    return new BatchSettings(
        settings.get(Settings.BATCH_MAX_CHUNKS),
        settings.get(Settings.BATCH_MAX_TOKENS),
        Duration.ofMillis(settings.get(Settings.BATCH_MAX_WAIT_MS)));
  }

  /** The backends in AGENT_BRAIN_SINKS: the ones the indexer writes every index version to. */
  public List<Backend> sinkBackends() {
    List<Backend> backends = new ArrayList<>();
    for (String name : settings.get(Settings.SINKS).split(",")) {
      backends.add(Backend.valueOf(name.strip().toUpperCase(Locale.ROOT)));
    }
    return List.copyOf(backends);
  }

  /** The store of one backend, for reading and writing; the caller closes it. */
  public BackendStore store(Backend backend) {
    return switch (backend) {
      case POSTGRES -> {
        PostgresStore store = postgres(2);
        yield new BackendStore(backend, store, store, store);
      }
      case CHROMA -> {
        ChromaStore store = chroma();
        yield new BackendStore(backend, store, store, store);
      }
    };
  }

  /**
   * One backend's store, seen as what reads it, what writes it and what pages through a whole index
   * for a reconciliation (the same object).
   */
  public record BackendStore(Backend backend, Retriever reader, ChunkWriter writer, ChunkScan scan)
      implements AutoCloseable {
    @Override
    public void close() {
      writer.close();
    }
  }

  /** A Kafka admin client for the cluster of the settings; the caller closes it. */
  public Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
  }

  /** Indexer settings from the environment, with Streams state kept in {@code stateFolder}. */
  IndexerService.Options indexerOptions(String stateFolder) {
    return new IndexerService.Options(
        bootstrap(),
        home().resolve(stateFolder),
        settings.get(Settings.EMBEDDING_THREADS),
        batches(),
        DocumentLimits.MAX_CONTENT_BYTES);
  }

  Backend primaryBackend() {
    return settings.get(Settings.STORAGE_BACKEND);
  }

  /** The roles the settings give: what holds until the first `agent-brain shadow promote`. */
  Roles configuredRoles() {
    try {
      return new Roles(primaryBackend(), settings.get(Settings.SHADOW_BACKEND));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(
          Settings.SHADOW_BACKEND.env()
              + " must differ from "
              + Settings.STORAGE_BACKEND.env()
              + " ('"
              + primaryBackend().id()
              + "'): set it to the other backend or to none");
    }
  }

  /** The roles every process shares (registry), seeded from the settings. */
  BackendRoles roles() {
    return new BackendRoles(
        registryClient(), settings.get(Settings.TOPIC_PREFIX), configuredRoles());
  }

  /** The results of `agent-brain shadow reconcile` runs. */
  ReconciliationLog reconciliations() {
    return new ReconciliationLog(registryClient(), settings.get(Settings.TOPIC_PREFIX));
  }

  /** Where this machine's processes keep state. */
  public Path home() {
    return Path.of(settings.get(Settings.HOME)).toAbsolutePath();
  }
}
