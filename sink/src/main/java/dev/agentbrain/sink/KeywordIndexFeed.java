package dev.agentbrain.sink;

import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Retry;
import dev.agentbrain.retry.RetryPolicy;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the Chroma backend's local keyword indexes ({@link KeywordIndexes}) in step with what the
 * Chroma sink has written, in the process that answers queries (any host that reaches Kafka and
 * Chroma).
 *
 * <ul>
 *   <li><b>First build</b> of a physical index (new here, or its directory was lost or built for
 *       another spec): the Chroma sink group's committed offsets are read first, then every chunk
 *       is read from the Chroma collection itself; the index then tails the chunks topic from those
 *       offsets. So completeness never depends on the topic's retention, and whatever the snapshot
 *       already held is simply written again (writes are idempotent and ordered per document, so a
 *       replayed older write is undone by the newer one that follows it).
 *   <li><b>Tail</b>: one consumer without a group reads every partition of the chunks topic and
 *       applies each record to its physical index as the sinks do ({@link ChunkWrites}). It never
 *       reads past the Chroma sink group's committed offsets, so the keyword index holds only
 *       chunks Chroma is known to hold: it trails Chroma by at most the sink's commit interval and
 *       is never ahead of it, except for the writes a first build finds in Chroma before the sink
 *       committed them.
 *   <li><b>Resume</b>: each index stores the next offset per partition in its Lucene commit; after
 *       a restart the tail starts from the lowest of them and skips what an index already has.
 * </ul>
 *
 * <p>Runs on one thread ({@link #run}); {@link #stop} may be called from any.
 */
public final class KeywordIndexFeed implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(KeywordIndexFeed.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration COMMIT_EVERY = Duration.ofSeconds(2);
  private static final Duration SERVED_EVERY = Duration.ofSeconds(10);
  private static final Duration PARTITIONS_EVERY = Duration.ofSeconds(10);
  private static final int SCAN_PAGE = 500;

  private final Consumer<String, byte[]> consumer;
  private final Deserializer<EmbeddedChunk> chunkDeserializer;
  private final String topic;
  private final Supplier<Map<TopicPartition, Long>> sinkCommitted;
  private final ChunkScan chroma;
  private final Function<String, IndexSpec> specs;
  private final Supplier<Collection<String>> served;
  private final KeywordIndexes keywords;
  private final Set<TopicPartition> held = new HashSet<>();

  /** Indexes that could not be opened (gone from Chroma, unsupported language): retried later. */
  private final Set<String> failed = new HashSet<>();

  private volatile String trouble = "";
  private volatile boolean running = true;
  private boolean recovering;
  private long lastPartitionCheck;
  private Map<TopicPartition, Long> limits = Map.of();
  private long lastCommit;
  private long lastServedCheck;

  /**
   * @param consumer a consumer with no group id, {@code read_committed}, auto-commit off; this feed
   *     assigns it every partition of {@code topic}
   * @param sinkCommitted the Chroma sink group's committed offsets (what Chroma is known to hold)
   * @param chroma reads a Chroma index whole, for a first build
   * @param specs the spec of a Chroma index by physical name ({@code ChromaStore#spec})
   * @param served physical indexes to keep a keyword index of even when the topic no longer has
   *     their records (e.g. every version the query API serves)
   */
  public KeywordIndexFeed(
      Consumer<String, byte[]> consumer,
      Deserializer<EmbeddedChunk> chunkDeserializer,
      String topic,
      Supplier<Map<TopicPartition, Long>> sinkCommitted,
      ChunkScan chroma,
      Function<String, IndexSpec> specs,
      Supplier<Collection<String>> served,
      KeywordIndexes keywords) {
    this.consumer = consumer;
    this.chunkDeserializer = chunkDeserializer;
    this.topic = topic;
    this.sinkCommitted = sinkCommitted;
    this.chroma = chroma;
    this.specs = specs;
    this.served = served;
    this.keywords = keywords;
  }

  @Override
  public void run() {
    Retry retry =
        Retry.with(RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(30)))
            .everyKind() // nothing is lost: every index re-reads from the offsets it has applied
            .whileTrue(() -> running)
            .onRetry(this::retrying);
    try {
      retry.run(this::start);
      while (running) {
        retry.run(this::step);
        reportReadiness();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      if (running) {
        throw e;
      }
      // stopped: the retry gave up with the failure it was retrying, or a wakeup ended a poll
    } finally {
      keywords.commit();
      consumer.close(Duration.ofSeconds(5));
    }
  }

  /**
   * Assigns every partition of the chunks topic, once the topic exists, and starts each index's
   * tail where it must.
   */
  private void start() {
    List<TopicPartition> partitions = partitions();
    consumer.assign(partitions);
    lastPartitionCheck = System.nanoTime();
    refreshLimits();
    for (String name : served.get()) {
      open(name);
    }
    seekToLowestOffsets(partitions);
    trouble = "";
    reportReadiness();
    LOG.info("keyword index feed: reading {} partition(s) of {}", partitions.size(), topic);
  }

  /** One poll, applied; after a failure, first moves back to what every index has applied. */
  private void step() {
    if (recovering) {
      seekToLowestOffsets(List.copyOf(consumer.assignment()));
      recovering = false;
    }
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
    refreshLimits();
    apply(records);
    releaseHeldPartitions();
    maybeCommit();
    maybeOpenServed();
    maybeReadNewPartitions();
    trouble = "";
  }

  private void retrying(Failure failure, int retry, Duration pause) {
    recovering = true;
    trouble = failure.message();
    if (retry == 1 || retry % 20 == 0) {
      LOG.warn(
          "keyword index feed: {}; retrying in {} ms (retry {})",
          failure.message(),
          pause.toMillis(),
          retry);
    }
    reportReadiness();
  }

  /**
   * The chunks topic's partitions. A consumer that asks for a topic that does not exist yet gets
   * none (auto-creation is off), and assigning none makes every poll fail: so none is a transient
   * failure, retried until the indexer has created the topic.
   */
  private List<TopicPartition> partitions() {
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      throw new ChunksTopicMissing(topic);
    }
    return partitions;
  }

  /** Partitions added to the topic since they were assigned are read from their beginning. */
  private void maybeReadNewPartitions() {
    long now = System.nanoTime();
    if (now - lastPartitionCheck < PARTITIONS_EVERY.toNanos()) {
      return;
    }
    lastPartitionCheck = now;
    List<TopicPartition> partitions = partitions();
    List<TopicPartition> added =
        partitions.stream().filter(p -> !consumer.assignment().contains(p)).toList();
    if (!added.isEmpty()) {
      consumer.assign(partitions);
      seekToLowestOffsets(added);
      LOG.info("keyword index feed: {} gained partition(s) {}; reading them", topic, added);
    }
  }

  /** Stops the feed; what it applied is committed. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  private void apply(ConsumerRecords<String, byte[]> records) {
    Map<String, List<ChunkWrite>> writes = new LinkedHashMap<>();
    Map<Integer, Long> reached = new HashMap<>();
    Set<String> unknown = new TreeSet<>();
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<String, byte[]> record : records.records(partition)) {
        if (record.offset() >= limits.getOrDefault(partition, 0L)) {
          // Chroma is not known to hold this yet: read it again once the sink commits it
          consumer.seek(partition, record.offset());
          consumer.pause(List.of(partition));
          held.add(partition);
          break;
        }
        reached.put(partition.partition(), record.offset() + 1);
        EmbeddedChunk event;
        try {
          event = chunkDeserializer.deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
          continue; // the sinks dead-letter it; there is nothing to index
        }
        String name = ChunkWrites.physicalName(event);
        if (failed.contains(name)) {
          continue;
        } else if (!keywords.complete(name)) {
          unknown.add(name);
        } else if (record.offset()
            >= keywords.offsets(name).getOrDefault(partition.partition(), 0L)) {
          writes.computeIfAbsent(name, k -> new ArrayList<>()).add(ChunkWrites.of(event));
        }
      }
    }
    if (!reached.isEmpty()) {
      for (String name : keywords.names()) {
        if (keywords.complete(name)) {
          keywords.apply(name, writes.getOrDefault(name, List.of()), reached);
        }
      }
    }
    for (String name : unknown) {
      open(name);
    }
  }

  /**
   * Opens a physical index's keyword index, building it from Chroma when it is new or unfinished,
   * and moves the tail back to where the new index must start reading.
   */
  private void open(String name) {
    try {
      keywords.ensureIndex(specs.apply(name));
      if (!keywords.complete(name)) {
        build(name);
      }
    } catch (NoSuchIndexException e) {
      keywords.drop(name); // the Chroma index is gone, so is its keyword index
      failed.add(name);
      return;
    } catch (StorageUnavailableException e) {
      throw e; // Chroma is down: the loop retries
    } catch (StorageException e) {
      LOG.warn("keyword index {} cannot be kept: {}", name, e.getMessage());
      failed.add(name);
      return;
    }
    for (Map.Entry<Integer, Long> offset : keywords.offsets(name).entrySet()) {
      TopicPartition partition = new TopicPartition(topic, offset.getKey());
      if (consumer.assignment().contains(partition)
          && consumer.position(partition) > offset.getValue()) {
        consumer.seek(partition, offset.getValue());
      }
    }
  }

  private void build(String name) {
    reportReadiness();
    long started = System.nanoTime();
    Map<TopicPartition, Long> startOffsets = sinkCommitted.get(); // before the snapshot
    keywords.clear(name);
    long chunks = 0;
    String cursor = ChunkScan.DocumentPage.FIRST;
    while (true) {
      ChunkScan.DocumentPage page = chroma.documents(name, cursor, SCAN_PAGE);
      List<ChunkWrite> upserts = new ArrayList<>();
      for (ChunkRecord chunk : chroma.chunksOf(name, page.documentIds())) {
        upserts.add(new ChunkWrite.Upsert(chunk));
      }
      keywords.apply(name, upserts, Map.of());
      chunks += upserts.size();
      if (page.next().isEmpty()) {
        break;
      }
      cursor = page.next().get();
    }
    Map<Integer, Long> offsets = new HashMap<>();
    startOffsets.forEach((partition, offset) -> offsets.put(partition.partition(), offset));
    for (TopicPartition partition : consumer.assignment()) {
      offsets.putIfAbsent(partition.partition(), 0L);
    }
    keywords.completeBuild(name, offsets);
    LOG.info(
        "keyword index {} built from Chroma: {} chunks in {} ms; tailing the chunks topic from {}",
        name,
        chunks,
        (System.nanoTime() - started) / 1_000_000,
        offsets);
  }

  private void seekToLowestOffsets(List<TopicPartition> partitions) {
    for (TopicPartition partition : partitions) {
      Optional<Long> lowest =
          keywords.names().stream()
              .filter(keywords::complete)
              .map(name -> keywords.offsets(name).getOrDefault(partition.partition(), 0L))
              .min(Long::compare);
      // with no keyword index yet, every index met in the topic is built from Chroma: the tail
      // only needs what the sink has not committed
      consumer.seek(partition, lowest.orElse(limits.getOrDefault(partition, 0L)));
    }
  }

  private void refreshLimits() {
    try {
      limits = sinkCommitted.get();
    } catch (RuntimeException e) {
      LOG.warn("keyword index feed: cannot read the Chroma sink's offsets: {}", e.getMessage());
    }
  }

  private void releaseHeldPartitions() {
    List<TopicPartition> released = new ArrayList<>();
    for (TopicPartition partition : held) {
      if (consumer.position(partition) < limits.getOrDefault(partition, 0L)) {
        released.add(partition);
      }
    }
    if (!released.isEmpty()) {
      consumer.resume(released);
      released.forEach(held::remove);
    }
  }

  private void maybeCommit() {
    long now = System.nanoTime();
    if (now - lastCommit >= COMMIT_EVERY.toNanos()) {
      keywords.commit();
      lastCommit = now;
    }
  }

  private void maybeOpenServed() {
    long now = System.nanoTime();
    if (now - lastServedCheck >= SERVED_EVERY.toNanos()) {
      lastServedCheck = now;
      failed.clear();
      for (String name : served.get()) {
        if (!keywords.complete(name)) {
          open(name);
        }
      }
    }
  }

  /** Records the Chroma sink has committed that the keyword indexes have not applied yet. */
  private void reportReadiness() {
    long behind = 0;
    for (TopicPartition partition : consumer.assignment()) {
      behind += Math.max(0, limits.getOrDefault(partition, 0L) - consumer.position(partition));
    }
    boolean building = keywords.names().stream().anyMatch(name -> !keywords.complete(name));
    String problem = trouble;
    boolean reading = !consumer.assignment().isEmpty();
    keywords.reportReadiness(
        new KeywordReadiness(
            !building && problem.isEmpty() && reading,
            behind,
            !problem.isEmpty()
                ? "keyword search on Chroma waits: " + problem
                : !reading
                    ? "the keyword index feed reads no partition of " + topic + " yet"
                    : building
                        ? "a keyword index is being built from Chroma; keyword search answers 503 until it is done"
                        : behind == 0
                            ? "the keyword indexes hold everything the Chroma sink has committed"
                            : "the keyword indexes are %d chunk events behind the Chroma sink"
                                .formatted(behind)));
  }
}
