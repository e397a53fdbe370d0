package dev.agentbrain.indexer;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.contract.ContractViolation;
import dev.agentbrain.indexer.contract.StartupCheck;
import dev.agentbrain.sink.ChunkConsumers;
import dev.agentbrain.sink.SinkMetrics;
import dev.agentbrain.sink.SinkParts;
import dev.agentbrain.sink.SinkStatus;
import dev.agentbrain.sink.SupervisedSink;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.topics.Topic;
import dev.agentbrain.topics.TopicCreator;
import dev.agentbrain.topics.Topics;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One indexer process: the Streams topology plus one sink worker per backend, each on its own
 * thread. Start as many processes as there are partitions to share; Kafka spreads the work.
 */
public final class IndexerService implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerService.class);

  /** A backend the indexer writes to. */
  public record Sink(Stage stage, ChunkWriter writer) {}

  /**
   * @param bootstrap Kafka bootstrap servers
   * @param stateDir where Streams keeps its stores (the embedding cache lives there)
   * @param embeddingThreads concurrent embedding calls
   */
  public record Options(
      String bootstrap,
      Path stateDir,
      int embeddingThreads,
      BatchSettings batch,
      int maxContentChars) {}

  private final RebuildingStreams streams;
  private final List<SupervisedSink> sinks = new ArrayList<>();
  private final List<AutoCloseable> resources = new ArrayList<>();
  private final IndexerMetrics metrics;

  /**
   * A one-off application (a reindex, a migration) leaves its consumer group when closed, so that
   * its group and topics can be removed at once; the long-running indexer keeps the default (its
   * partitions move after the session timeout, not on every restart).
   */
  private boolean leaveGroupOnClose;

  private IndexerService(RebuildingStreams streams, IndexerMetrics metrics) {
    this.streams = streams;
    this.metrics = metrics;
  }

  /**
   * The long-running indexer: embeds every index's documents into its live contract (seen within
   * seconds of a switch-over) and runs the sink workers. Nothing runs until {@link #start()}.
   */
  public static IndexerService create(
      Options options,
      Topics topics,
      ContractRegistry registry,
      List<Sink> sinks,
      MeterRegistry meters) {
    ensureTopics(options, topics);
    ModelPool models = new ModelPool(options.embeddingThreads());
    StartupCheck.verify(registry, models, sinks.stream().map(Sink::writer).toList());
    return assemble(
        options,
        topics,
        registry,
        topics.prefix() + "-indexer",
        topics.prefix(),
        index -> true,
        new LiveContracts(registry, Duration.ofSeconds(5), Clock.systemUTC())::of,
        models,
        sinks,
        meters);
  }

  /**
   * A reindex: replays the document log from its beginning and embeds the documents of one index
   * into the pinned contract version, then keeps following the log, whether or not that version is
   * live. It writes to the chunks topic only; the sink workers of the running indexers store the
   * chunks (they create the new physical index on first sight).
   *
   * @param applicationId Streams application id, normally {@link Topics#reindexApplicationId}: the
   *     same id resumes a stopped reindex from its committed offsets and state stores
   */
  public static IndexerService reindex(
      Options options,
      Topics topics,
      ContractRegistry registry,
      EmbeddingContract pinned,
      String applicationId,
      MeterRegistry meters) {
    return pinnedTo(options, topics, registry, pinned, applicationId, List.of(), meters);
  }

  /**
   * A migration of one index version into one more backend: the same replay as {@link #reindex},
   * pinned to an existing version (normally the live one), but its chunks go to a topic of its own
   * that only the target backend's sink reads, in consumer group {@code <applicationId>-<sink>}.
   * With the same model every vector comes from the shared embedding cache, so the target gets the
   * very vectors the other backends hold.
   *
   * @param topics the pipeline's topics with a private chunks topic ({@link
   *     Topics#withPrivateChunks})
   */
  public static IndexerService migration(
      Options options,
      Topics topics,
      ContractRegistry registry,
      EmbeddingContract pinned,
      String applicationId,
      Sink target,
      MeterRegistry meters) {
    return pinnedTo(options, topics, registry, pinned, applicationId, List.of(target), meters);
  }

  /** An application that embeds one index into one pinned contract version. */
  private static IndexerService pinnedTo(
      Options options,
      Topics topics,
      ContractRegistry registry,
      EmbeddingContract pinned,
      String applicationId,
      List<Sink> sinks,
      MeterRegistry meters) {
    ensureTopics(options, topics);
    ModelPool models = new ModelPool(options.embeddingThreads());
    models.forContract(pinned); // fails now, with the model's own message, if it cannot load
    String index = pinned.getIndex();
    IndexerService service =
        assemble(
            options,
            topics,
            registry,
            applicationId,
            applicationId,
            index::equals,
            i -> i.equals(index) ? Optional.of(pinned) : Optional.empty(),
            models,
            sinks,
            meters);
    service.leaveGroupOnClose = true;
    return service;
  }

  private static void ensureTopics(Options options, Topics topics) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap()))) {
      TopicCreator.ensure(admin, topics.all());
    }
  }

  private static IndexerService assemble(
      Options options,
      Topics topics,
      ContractRegistry registry,
      String applicationId,
      String sinkGroupPrefix,
      Predicate<String> handles,
      Function<String, Optional<EmbeddingContract>> contracts,
      ModelPool models,
      List<Sink> sinks,
      MeterRegistry meters) {
    BiFunction<String, Integer, EmbeddingContract> versions = contractVersions(registry);
    IndexerMetrics metrics = new IndexerMetrics(meters);
    Topic<String, EmbeddedChunk> chunks = topics.chunks();
    IndexerTopology.Parts parts =
        new IndexerTopology.Parts(
            topics.documents().name(),
            topics.documents().valueSerde().deserializer(),
            chunk -> chunks.valueSerde().serializer().serialize(chunks.name(), chunk),
            handles,
            contracts,
            versions,
            new TokenSplitter(models),
            models,
            options.batch(),
            options.maxContentChars(),
            metrics);
    RebuildingStreams streams =
        new RebuildingStreams(
            () ->
                new KafkaStreams(
                    IndexerTopology.build(topics, parts),
                    IndexerTopology.streamsConfig(
                        options.bootstrap(), applicationId, options.stateDir())),
            options.stateDir(),
            applicationId,
            topics.embeddings().name());
    IndexerService service = new IndexerService(streams, metrics);
    service.resources.add(models);
    Topic<byte[], DeadLetter> dlq = topics.deadLetters();
    KafkaProducer<byte[], DeadLetter> dlqProducer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                options.bootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            dlq.keySerde().serializer(),
            dlq.valueSerde().serializer());
    service.resources.add(dlqProducer);
    for (Sink sink : sinks) {
      Optional<String> group = Optional.of(sinkGroupPrefix + "-" + sink.stage().id());
      service.sinks.add(
          SupervisedSink.create(
              new SinkParts(
                  sink.stage(),
                  chunks.valueSerde().deserializer(),
                  sink.writer(),
                  versions,
                  dlqProducer,
                  chunks.name(),
                  dlq.name(),
                  new SinkMetrics(meters, sink.stage().id().replace("sink-", ""))),
              () -> ChunkConsumers.create(options.bootstrap(), group)));
      service.resources.add(sink.writer());
    }
    return service;
  }

  /** A contract by index and version; versions never change, so each is read once. */
  private static BiFunction<String, Integer, EmbeddingContract> contractVersions(
      ContractRegistry registry) {
    Map<String, EmbeddingContract> cache = new ConcurrentHashMap<>();
    return (index, version) ->
        cache.computeIfAbsent(
            index + "@" + version,
            k ->
                registry
                    .version(index, version)
                    .orElseThrow(
                        () ->
                            new ContractViolation(
                                "index "
                                    + index
                                    + " has no contract version "
                                    + version
                                    + " (dropped?)")));
  }

  public void start() {
    streams.start();
    sinks.forEach(SupervisedSink::start);
    LOG.info("indexer started: stream + {} sink worker(s)", sinks.size());
  }

  /** State of the Streams application (RUNNING once partitions are assigned). */
  public KafkaStreams.State state() {
    return streams.state();
  }

  public IndexerMetrics metrics() {
    return metrics;
  }

  /** How many chunk records the sinks have not written yet, summed over the sinks. */
  public long sinkLag() {
    return sinks.stream().mapToLong(SupervisedSink::lag).sum();
  }

  /** What each sink is doing: running, waiting for its backend, failed and restarting, stalled. */
  public List<SinkStatus> sinkStatuses() {
    return sinks.stream().map(SupervisedSink::status).toList();
  }

  @Override
  public void close() {
    // the stream thread may be inside an embedding call: the models must outlive it
    boolean streamsClosed =
        leaveGroupOnClose
            ? streams
                .client()
                .close(
                    CloseOptions.groupMembershipOperation(
                            CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
                        .withTimeout(Duration.ofMinutes(2)))
            : streams.client().close(Duration.ofMinutes(2));
    sinks.forEach(SupervisedSink::close);
    if (!streamsClosed) {
      LOG.warn(
          "the stream thread did not stop within 2 minutes; leaving its resources to the exiting process");
      return;
    }
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn("could not close {}: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
