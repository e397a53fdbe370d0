package dev.agentbrain.sink;

import dev.agentbrain.deadletter.DeadLetters;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Failures;
import dev.agentbrain.retry.Retry;
import dev.agentbrain.retry.RetryPolicy;
import dev.agentbrain.storage.NoSuchIndexException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of a backend's sink on one consumer: copies the chunks topic into the backend, in the
 * backend's consumer group. {@link SupervisedSink} runs it and starts a new one when it fails.
 *
 * <ul>
 *   <li><b>Nothing polled is dropped.</b> Records read are held, per partition, until the backend
 *       has them; while the backend fails transiently the worker pauses every partition it owns and
 *       retries the records it holds with backoff ({@link Retry}), polling only to stay in the
 *       group.
 *   <li><b>Only what was written is committed</b>, per partition ({@code commitSync(Map)}), after
 *       every dead letter the records caused was acknowledged by Kafka.
 *   <li><b>Rebalances</b>: the records of revoked partitions are dropped unwritten and uncommitted;
 *       their new owner reads them again from the last commit. Partitions gained while the backend
 *       is down are paused at once.
 *   <li><b>Dead letters</b> only for what can never succeed ({@link Failure.Kind#REJECTED}): a
 *       value that is not a chunk event, a chunk the backend refuses on its own. A failure nobody
 *       classified ({@link Failure.Kind#BROKEN}) ends this run uncommitted, for the supervisor to
 *       restart it.
 * </ul>
 *
 * <p>{@link #run} on one thread; {@link #stop} from any.
 */
final class SinkWorker implements Runnable {

  private static final Logger LOG = LoggerFactory.getLogger(SinkWorker.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final Duration DEAD_LETTER_ACK = Duration.ofMinutes(2);
  private static final RetryPolicy OUTAGE =
      RetryPolicy.unbounded(Duration.ofMillis(500), Duration.ofSeconds(5));

  private final SinkParts parts;
  private final Consumer<String, byte[]> consumer;
  private final SinkState state;
  private final Set<String> ensured = new HashSet<>();

  /** Records read and not yet written, per partition, in offset order. */
  private final Map<TopicPartition, List<ConsumerRecord<String, byte[]>>> held =
      new LinkedHashMap<>();

  private final Retry retry;
  private volatile boolean running = true;
  private boolean paused;

  SinkWorker(SinkParts parts, Consumer<String, byte[]> consumer, SinkState state) {
    this.parts = parts;
    this.consumer = consumer;
    this.state = state;
    this.retry =
        Retry.with(OUTAGE)
            .waitingWith(this::pollPaused)
            .whileTrue(() -> running && !held.isEmpty())
            .onRetry(this::retrying);
  }

  /**
   * Polls and writes until stopped.
   *
   * @throws RuntimeException a failure that is neither transient nor a refused record: nothing held
   *     was committed, and a new worker re-reads it from the last commit
   */
  @Override
  public void run() {
    consumer.subscribe(List.of(parts.topic()), new Rebalance());
    try {
      while (running) {
        hold(consumer.poll(POLL));
        state.enter(SinkStatus.State.RUNNING, "");
        if (!held.isEmpty()) {
          writeHeld();
        }
        updateLag();
      }
    } catch (WakeupException e) {
      if (running) {
        throw e;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      consumer.close(Duration.ofSeconds(10));
    }
  }

  /** Stops the worker; what it holds unwritten is not committed. */
  void stop() {
    running = false;
    consumer.wakeup();
  }

  /** Writes every held record, retrying transient failures until written, revoked or stopped. */
  private void writeHeld() throws InterruptedException {
    boolean written = false;
    try {
      retry.run(this::writeAndCommit);
      written = true;
    } catch (RuntimeException e) {
      if (!Failures.classify(e).isTransient() || (running && !held.isEmpty())) {
        throw e;
      }
      // stopped, or every held partition moved to another member: nothing left to write here
    }
    if (paused) {
      consumer.resume(consumer.paused());
      paused = false;
      if (written) {
        LOG.info("{}: backend is back, writing resumed", parts.stage().id());
      }
    }
  }

  /**
   * One attempt: writes every held record, then dead-letters what was refused and waits for Kafka
   * to acknowledge each dead letter, then commits. A transient failure anywhere leaves nothing
   * committed and no dead letter sent by this attempt's writes (they are sent once the writes
   * succeed), so a retry sends none twice.
   */
  private void writeAndCommit() {
    List<Refusal> refusals = write();
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Refusal refusal : refusals) {
      sent.add(deadLetter(refusal));
    }
    awaitAcknowledged(sent);
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    held.forEach(
        (partition, records) ->
            offsets.put(
                partition, new OffsetAndMetadata(records.get(records.size() - 1).offset() + 1)));
    try {
      consumer.commitSync(offsets);
    } catch (CommitFailedException | RebalanceInProgressException e) {
      // the group is rebalancing: the next poll revokes what moved; what stays is written again
      LOG.info("{}: commit deferred by a rebalance", parts.stage().id());
      return;
    }
    held.clear();
    state.holdingNone();
  }

  /** A record that can never be written, and why. */
  private record Refusal(ConsumerRecord<String, byte[]> record, String reason, Exception error) {}

  /** Writes every held record the backend takes; returns those refused for good. */
  private List<Refusal> write() {
    List<Refusal> refusals = new ArrayList<>();
    Map<String, List<ConsumerRecord<String, byte[]>>> byIndex = new LinkedHashMap<>();
    Map<ConsumerRecord<String, byte[]>, EmbeddedChunk> events = new HashMap<>();
    for (List<ConsumerRecord<String, byte[]>> records : held.values()) {
      for (ConsumerRecord<String, byte[]> record : records) {
        EmbeddedChunk event;
        try {
          event = parts.chunkDeserializer().deserialize(record.topic(), record.value());
        } catch (RuntimeException e) {
          if (Failures.classify(e).isTransient()) {
            throw e; // e.g. the schema registry is unreachable: the bytes may be fine
          }
          refusals.add(new Refusal(record, "the value is not a readable chunk event", e));
          continue;
        }
        events.put(record, event);
        byIndex
            .computeIfAbsent(ChunkWrites.physicalName(event), k -> new ArrayList<>())
            .add(record);
      }
    }
    for (Map.Entry<String, List<ConsumerRecord<String, byte[]>>> entry : byIndex.entrySet()) {
      List<ConsumerRecord<String, byte[]>> group = entry.getValue();
      try {
        ensureIndex(entry.getKey(), events.get(group.get(0)));
        long started = System.nanoTime();
        parts
            .writer()
            .write(entry.getKey(), group.stream().map(r -> ChunkWrites.of(events.get(r))).toList());
        parts.metrics().written(group.size(), System.nanoTime() - started);
      } catch (RuntimeException e) {
        if (refused(entry.getKey(), e)) {
          writeOneByOne(entry.getKey(), group, events, refusals);
        }
      }
    }
    return refusals;
  }

  /** After a batch was refused: finds the records refused alone. */
  private void writeOneByOne(
      String physicalName,
      List<ConsumerRecord<String, byte[]>> group,
      Map<ConsumerRecord<String, byte[]>, EmbeddedChunk> events,
      List<Refusal> refusals) {
    for (ConsumerRecord<String, byte[]> record : group) {
      try {
        ensureIndex(physicalName, events.get(record));
        long started = System.nanoTime();
        parts.writer().write(physicalName, List.of(ChunkWrites.of(events.get(record))));
        parts.metrics().written(1, System.nanoTime() - started);
      } catch (RuntimeException e) {
        if (refused(physicalName, e)) {
          refusals.add(new Refusal(record, "the backend refused the chunk: " + e.getMessage(), e));
        }
      }
    }
  }

  /**
   * True when {@code e} refused the records for good; rethrows anything else (transient: retried by
   * {@link #retry}; broken: ends this run).
   */
  private boolean refused(String physicalName, RuntimeException e) {
    if (e instanceof NoSuchIndexException) {
      ensured.remove(physicalName); // dropped behind this worker's back: create it again
    }
    if (Failures.classify(e).kind() != Failure.Kind.REJECTED) {
      throw e;
    }
    return true;
  }

  private void ensureIndex(String physicalName, EmbeddedChunk event) {
    if (ensured.contains(physicalName)) {
      return;
    }
    EmbeddingContract contract = parts.contracts().apply(event.getIndex(), event.getIndexVersion());
    parts.writer().ensureIndex(ChunkWrites.spec(contract));
    ensured.add(physicalName);
  }

  private Future<RecordMetadata> deadLetter(Refusal refusal) {
    ConsumerRecord<String, byte[]> record = refusal.record();
    LOG.warn(
        "{}: record {}-{}@{} refused: {}",
        parts.stage().id(),
        record.topic(),
        record.partition(),
        record.offset(),
        refusal.reason());
    DeadLetters.Entry entry =
        DeadLetters.of(
            parts.stage(),
            refusal.reason(),
            refusal.error(),
            new DeadLetters.Origin(record.topic(), record.partition(), record.offset()),
            record.key(),
            record.value());
    parts.metrics().refused();
    return parts
        .deadLetters()
        .send(
            new ProducerRecord<>(
                parts.dlqTopic(), null, entry.key(), entry.letter(), entry.headers()));
  }

  /** Waits until Kafka has every dead letter of this attempt; a lost one fails the attempt. */
  private void awaitAcknowledged(List<Future<RecordMetadata>> sent) {
    if (sent.isEmpty()) {
      return;
    }
    parts.deadLetters().flush();
    for (Future<RecordMetadata> send : sent) {
      try {
        send.get(DEAD_LETTER_ACK.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new DeadLetterNotSent(
            "the dead-letter topic %s did not take a refused record: %s"
                .formatted(parts.dlqTopic(), e.getMessage()),
            e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new DeadLetterNotSent("interrupted while sending a dead letter", e);
      }
    }
  }

  private void retrying(Failure failure, int retry, Duration pause) {
    parts.metrics().retried();
    LOG.info(
        "{}: retry {} in {} ms: {}",
        parts.stage().id(),
        retry,
        pause.toMillis(),
        failure.message());
    if (retry == 1) {
      LOG.warn(
          "{}: backend unavailable, pausing and retrying: {}",
          parts.stage().id(),
          failure.message());
    }
    state.enter(SinkStatus.State.WAITING, "its backend fails: " + failure.message());
  }

  /** A pause between attempts: polls with every partition paused, to stay in the group. */
  private void pollPaused(Duration pause) {
    consumer.pause(consumer.assignment());
    paused = true;
    hold(consumer.poll(pause)); // records of partitions gained in a rebalance, before pausing them
    consumer.pause(consumer.assignment());
    updateLagWhilePaused();
  }

  private void hold(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition partition : records.partitions()) {
      held.computeIfAbsent(partition, p -> new ArrayList<>()).addAll(records.records(partition));
    }
    if (!held.isEmpty()) {
      state.holding();
    }
  }

  private void updateLag() {
    long total = 0;
    for (TopicPartition partition : consumer.assignment()) {
      total += consumer.currentLag(partition).orElse(0L);
    }
    state.lag(total);
    parts.metrics().lag(total);
  }

  /**
   * Paused partitions fetch nothing, so the consumer's own lag goes stale: counts the records held
   * plus everything after them, from fresh end offsets (in offsets, transaction markers included).
   */
  private void updateLagWhilePaused() {
    long total = held.values().stream().mapToLong(List::size).sum();
    for (Map.Entry<TopicPartition, Long> end :
        consumer.endOffsets(consumer.assignment()).entrySet()) {
      total += Math.max(0, end.getValue() - consumer.position(end.getKey()));
    }
    state.lag(total);
    parts.metrics().lag(total);
  }

  private final class Rebalance implements ConsumerRebalanceListener {

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      dropHeld(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      dropHeld(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      if (paused) {
        consumer.pause(partitions); // the backend is still down: read nothing new
      }
    }

    private void dropHeld(Collection<TopicPartition> partitions) {
      int dropped = 0;
      for (TopicPartition partition : partitions) {
        List<ConsumerRecord<String, byte[]>> records = held.remove(partition);
        dropped += records == null ? 0 : records.size();
      }
      if (dropped > 0) {
        LOG.info(
            "{}: {} partition(s) moved to another member; their {} unwritten record(s) are read"
                + " again by it from the last commit",
            parts.stage().id(),
            partitions.size(),
            dropped);
      }
      if (held.isEmpty()) {
        state.holdingNone();
      }
    }
  }
}
