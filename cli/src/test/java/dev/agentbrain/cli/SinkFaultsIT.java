package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.config.Backend;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.sink.ChunkConsumers;
import dev.agentbrain.sink.SinkMetrics;
import dev.agentbrain.sink.SinkParts;
import dev.agentbrain.sink.SinkStatus;
import dev.agentbrain.sink.SupervisedSink;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.testing.LocalServices;
import dev.agentbrain.topics.SinkLag;
import dev.agentbrain.topics.Topic;
import dev.agentbrain.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sinks under faults, against the real services: members of the Chroma sink group leave and join
 * while Chroma is cut off (issue 11, item 3: two rebalances during an outage once lost 520 of 1,400
 * chunks for good, with the sink's lag at 0), and a sink whose writer throws something nobody
 * expected. Chroma is reached through a {@link TcpRelay}; the shared server keeps running.
 */
class SinkFaultsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);

  @TempDir Path state;

  private IsolatedPipeline pipeline;
  private TcpRelay chromaRelay;
  private IndexerService indexer;
  private KafkaProducer<byte[], DeadLetter> deadLetters;
  private Admin admin;
  private Member member;

  /** A second member of the Chroma sink group, in this process. */
  private record Member(SupervisedSink sink, ChromaStore store) {
    void leave() {
      sink.close();
      store.close();
    }
  }

  @BeforeEach
  void start() throws Exception {
    pipeline = IsolatedPipeline.start("sinkfaults", 3);
    chromaRelay = TcpRelay.to(LocalServices.requireChroma());
    chromaRelay.up(); // the indexer checks both backends when it starts
    Topic<byte[], DeadLetter> dlq = pipeline.wiring.topics().deadLetters();
    deadLetters =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                pipeline.wiring.bootstrap(),
                ProducerConfig.ACKS_CONFIG,
                "all"),
            dlq.keySerde().serializer(),
            dlq.valueSerde().serializer());
    admin = pipeline.wiring.admin();
  }

  @AfterEach
  void stop() throws Exception {
    if (member != null) {
      member.leave();
    }
    if (indexer != null) {
      indexer.close();
    }
    if (deadLetters != null) {
      deadLetters.close();
    }
    if (admin != null) {
      admin.close();
    }
    if (chromaRelay != null) {
      chromaRelay.close();
    }
    if (pipeline != null) {
      pipeline.close();
    }
  }

  @Test
  @DisplayName(
      "members leaving and joining the sink group during an outage lose no chunk and dead-letter none")
  void rebalancesDuringAnOutageLoseNothing() throws Exception {
    indexer =
        pipeline.indexer(
            state,
            List.of(pipeline.postgresSink(), IsolatedPipeline.chromaSink(chromaRelay.uri())));
    indexer.start();
    chromaRelay.down();
    member = join();
    awaitMembers(2);
    // documents keep coming while members leave and join, as in production
    List<DocumentEvent> documents = pipeline.documents(45, 11);
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publishAndAwaitPostgres(publisher, documents.subList(0, 15));
      member.leave(); // first rebalance: the indexer's Chroma sink takes every partition
      member = null;
      awaitMembers(1);
      publishAndAwaitPostgres(publisher, documents.subList(15, 30));
      member = join(); // second rebalance: the partitions are shared again
      awaitMembers(2);
      publishAndAwaitPostgres(publisher, documents.subList(30, 45));
    }

    chromaRelay.up();
    try (SinkLag lag = new SinkLag(pipeline.wiring.bootstrap(), pipeline.wiring.topics())) {
      Map<TopicPartition, Long> ends = lag.endOffsets();
      await().atMost(WAIT).until(() -> lag.caughtUp(Backend.CHROMA, ends));
    }
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    assertThat(pipeline.deadLetters()).as("dead letters").isZero();
  }

  @Test
  @DisplayName(
      "a sink whose writer throws something unexpected is restarted, counted, and skips nothing")
  void anUnexpectedFailureRestartsTheWorker() throws Exception {
    ThrowsOnce postgres = new ThrowsOnce(pipeline.postgresSink().writer(), 2);
    indexer =
        pipeline.indexer(
            state,
            List.of(
                new IndexerService.Sink(Stage.SINK_POSTGRES, postgres),
                IsolatedPipeline.chromaSink(chromaRelay.uri())));
    indexer.start();
    List<DocumentEvent> documents = pipeline.documents(30, 12);
    try (DocumentPublisher publisher = pipeline.publisher()) {
      publisher.publishAll(documents);
    }
    Map<String, IsolatedPipeline.ExpectedChunk> expected = pipeline.expectedChunks(documents);

    IsolatedPipeline.awaitBackends(WAIT).until(() -> pipeline.bothBackendsCount(expected.size()));
    pipeline.assertHoldsExactly(pipeline.postgres, expected);
    pipeline.assertHoldsExactly(pipeline.chroma, expected);
    assertThat(postgres.thrown).as("failures thrown by the writer").hasValue(1);
    SinkStatus status = indexer.sinkStatuses().get(0);
    assertThat(status.stage()).isEqualTo(Stage.SINK_POSTGRES);
    assertThat(status.restarts()).as("restarts of the PostgreSQL sink").isEqualTo(1);
    await()
        .atMost(WAIT)
        .until(() -> indexer.sinkStatuses().get(0).state() == SinkStatus.State.RUNNING);
    assertThat(pipeline.deadLetters()).as("dead letters").isZero();
  }

  /** The real store, but its {@code failOn}-th write throws an exception nobody classified. */
  private static final class ThrowsOnce implements ChunkWriter {
    private final ChunkWriter store;
    private final int failOn;
    private final AtomicInteger writes = new AtomicInteger();
    final AtomicInteger thrown = new AtomicInteger();

    ThrowsOnce(ChunkWriter store, int failOn) {
      this.store = store;
      this.failOn = failOn;
    }

    @Override
    public void ensureIndex(IndexSpec spec) {
      store.ensureIndex(spec);
    }

    @Override
    public void write(String physicalName, List<ChunkWrite> chunks) {
      if (writes.incrementAndGet() == failOn) {
        thrown.incrementAndGet();
        throw new IllegalStateException("a bug nobody foresaw, in the middle of a run");
      }
      store.write(physicalName, chunks);
    }

    @Override
    public void dropIndex(String physicalName) {
      store.dropIndex(physicalName);
    }

    @Override
    public void close() {
      store.close();
    }
  }

  private Member join() {
    Topics topics = pipeline.wiring.topics();
    Topic<String, EmbeddedChunk> chunks = topics.chunks();
    ChromaStore store = new ChromaStore(ChromaConfig.of(chromaRelay.uri()));
    BiFunction<String, Integer, EmbeddingContract> contracts =
        (index, version) -> pipeline.wiring.contracts().version(index, version).orElseThrow();
    SupervisedSink sink =
        SupervisedSink.create(
            new SinkParts(
                Stage.SINK_CHROMA,
                chunks.valueSerde().deserializer(),
                store,
                contracts,
                deadLetters,
                chunks.name(),
                topics.deadLetters().name(),
                new SinkMetrics(new SimpleMeterRegistry(), "chroma")),
            () ->
                ChunkConsumers.create(
                    pipeline.wiring.bootstrap(), Optional.of(topics.sinkGroup(Backend.CHROMA))));
    sink.start();
    return new Member(sink, store);
  }

  /**
   * Publishes documents and waits until PostgreSQL holds their chunks, so that they are in the
   * chunks topic for the Chroma members to read (and hold) while Chroma is away.
   */
  private void publishAndAwaitPostgres(DocumentPublisher publisher, List<DocumentEvent> batch) {
    long before = pipeline.count(pipeline.postgres);
    int chunks = pipeline.expectedChunks(batch).size();
    publisher.publishAll(batch);
    IsolatedPipeline.awaitBackends(WAIT)
        .until(() -> pipeline.count(pipeline.postgres) == before + chunks);
  }

  /** Waits until the Chroma sink group is stable with {@code count} members. */
  private void awaitMembers(int count) {
    String group = pipeline.wiring.topics().sinkGroup(Backend.CHROMA);
    await()
        .atMost(WAIT)
        .until(
            () -> {
              ConsumerGroupDescription description =
                  admin.describeConsumerGroups(List.of(group)).all().get().get(group);
              return description.groupState() == org.apache.kafka.common.GroupState.STABLE
                  && description.members().size() == count;
            });
  }
}
