package dev.agentbrain.sink;

import dev.agentbrain.deadletter.DeadLetters;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.Deserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the chunks topic into one backend, in its own consumer group.
 *
 * <p>Offsets are committed only after the backend has the writes. When the backend is unreachable
 * the worker pauses its partitions and retries the same batch with backoff (nothing lost, and since
 * writes are idempotent nothing doubled); a record the backend refuses for good goes to the
 * dead-letter topic, and the worker moves on.
 */
public final class SinkWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final Stage stage;
  private final Consumer<String, byte[]> consumer;
  private final Deserializer<EmbeddedChunk> chunkDeserializer;
  private final ChunkWriter writer;
  private final BiFunction<String, Integer, EmbeddingContract> contracts;
  private final Producer<byte[], DeadLetter> deadLetters;
  private final String topic;
  private final String dlqTopic;
  private final Set<String> ensured = new HashSet<>();
  private final Set<TopicPartition> revoked = new HashSet<>();
  private final SinkMetrics metrics;
  private volatile boolean running = true;

  /**
   * @param stage {@link Stage#SINK_POSTGRES} or {@link Stage#SINK_CHROMA}: names the backend in
   *     logs and dead letters
   */
  public SinkWorker(
      Stage stage,
      Consumer<String, byte[]> consumer,
      Deserializer<EmbeddedChunk> chunkDeserializer,
      ChunkWriter writer,
      BiFunction<String, Integer, EmbeddingContract> contracts,
      Producer<byte[], DeadLetter> deadLetters,
      String topic,
      String dlqTopic,
      SinkMetrics metrics) {
    this.stage = stage;
    this.consumer = consumer;
    this.chunkDeserializer = chunkDeserializer;
    this.writer = writer;
    this.contracts = contracts;
    this.deadLetters = deadLetters;
    this.topic = topic;
    this.dlqTopic = dlqTopic;
    this.metrics = metrics;
  }

  @Override
  public void run() {
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            revoked.addAll(partitions);
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        });
    try {
      while (running) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(500));
        if (!records.isEmpty()) {
          revoked.clear();
          writeWithRetry(records);
          if (revoked.isEmpty()) {
            deadLetters.flush(); // a refused record is in the DLQ before its offset is committed
            consumer.commitSync();
          }
        }
        updateLag();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } finally {
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Stops the worker; the current batch is not committed unless it was written. */
  public void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Records of the chunks topic this worker has not written yet (as of its last poll). */
  public long lag() {
    return metrics.lag();
  }

  private void writeWithRetry(ConsumerRecords<String, byte[]> records) {
    Duration backoff = Duration.ofMillis(500);
    boolean paused = false;
    while (running) {
      try {
        write(records);
        if (paused) {
          LOG.info("{}: backend is back, writing resumed", stage.id());
          consumer.resume(consumer.paused());
        }
        return;
      } catch (StorageUnavailableException e) {
        if (!paused) {
          LOG.warn("{}: backend unavailable, pausing and retrying: {}", stage.id(), e.getMessage());
          consumer.pause(consumer.assignment());
          paused = true;
        }
        metrics.retried();
        // poll while paused keeps this member in the group without fetching anything
        consumer.poll(backoff);
        updateLagWhilePaused(records.count());
        if (!revoked.isEmpty()) {
          consumer.resume(consumer.paused());
          return; // partitions moved: their new owner rewrites from the last commit
        }
        backoff =
            backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
                ? MAX_BACKOFF
                : backoff.multipliedBy(2);
      }
    }
  }

  private void write(ConsumerRecords<String, byte[]> records) {
    Map<String, List<ConsumerRecord<String, byte[]>>> byIndex = new LinkedHashMap<>();
    Map<ConsumerRecord<String, byte[]>, EmbeddedChunk> events = new LinkedHashMap<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      try {
        EmbeddedChunk event = chunkDeserializer.deserialize(record.topic(), record.value());
        events.put(record, event);
        byIndex
            .computeIfAbsent(ChunkWrites.physicalName(event), k -> new ArrayList<>())
            .add(record);
      } catch (RuntimeException e) {
        deadLetter(record, "the value is not a readable chunk event", e);
      }
    }
    for (Map.Entry<String, List<ConsumerRecord<String, byte[]>>> entry : byIndex.entrySet()) {
      List<ConsumerRecord<String, byte[]>> group = entry.getValue();
      try {
        ensureIndex(entry.getKey(), events.get(group.get(0)));
        long started = System.nanoTime();
        writer.write(
            entry.getKey(), group.stream().map(r -> ChunkWrites.of(events.get(r))).toList());
        metrics.written(group.size(), System.nanoTime() - started);
      } catch (StorageUnavailableException e) {
        throw e;
      } catch (NoSuchIndexException e) {
        // dropped behind this worker's back (an in-place rebuild): create it again, then write
        ensured.remove(entry.getKey());
        writeOneByOne(entry.getKey(), group, events);
      } catch (RuntimeException e) {
        writeOneByOne(entry.getKey(), group, events);
      }
    }
  }

  /** After a batch failed for good: finds the records that fail alone and dead-letters them. */
  private void writeOneByOne(
      String physicalName,
      List<ConsumerRecord<String, byte[]>> group,
      Map<ConsumerRecord<String, byte[]>, EmbeddedChunk> events) {
    for (ConsumerRecord<String, byte[]> record : group) {
      try {
        ensureIndex(physicalName, events.get(record));
        ChunkWrite write = ChunkWrites.of(events.get(record));
        writer.write(physicalName, List.of(write));
      } catch (StorageUnavailableException e) {
        throw e;
      } catch (RuntimeException e) {
        deadLetter(record, "the backend refused the chunk: " + e.getMessage(), e);
      }
    }
  }

  private void ensureIndex(String physicalName, EmbeddedChunk event) {
    if (ensured.contains(physicalName)) {
      return;
    }
    EmbeddingContract contract = contracts.apply(event.getIndex(), event.getIndexVersion());
    writer.ensureIndex(ChunkWrites.spec(contract));
    ensured.add(physicalName);
  }

  private void deadLetter(
      ConsumerRecord<String, byte[]> record, String reason, RuntimeException error) {
    LOG.warn(
        "{}: record {}-{}@{} refused: {}",
        stage.id(),
        record.topic(),
        record.partition(),
        record.offset(),
        reason);
    DeadLetters.Entry entry =
        DeadLetters.of(
            stage,
            reason,
            error,
            new DeadLetters.Origin(record.topic(), record.partition(), record.offset()),
            record.key(),
            record.value());
    metrics.refused();
    deadLetters.send(
        new ProducerRecord<>(dlqTopic, null, entry.key(), entry.letter(), entry.headers()));
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0L);
    }
    metrics.lag(total);
  }

  /**
   * During an outage the lag must keep growing: paused partitions fetch nothing, so the cached lag
   * goes stale. Counts the batch being retried plus everything after it, from fresh end offsets (in
   * offsets, like the usual consumer lag: transaction markers included).
   */
  private void updateLagWhilePaused(int unwritten) {
    long total = unwritten;
    for (Map.Entry<TopicPartition, Long> end :
        consumer.endOffsets(consumer.assignment()).entrySet()) {
      total += Math.max(0, end.getValue() - consumer.position(end.getKey()));
    }
    metrics.lag(total);
  }
}
