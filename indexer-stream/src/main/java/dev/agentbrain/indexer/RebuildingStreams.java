package dev.agentbrain.indexer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.apache.kafka.streams.errors.TaskCorruptedException;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Kafka Streams client that starts on whatever local state an unclean stop left behind.
 *
 * <p>Streams wipes and restores a corrupted <em>task</em> store itself. A corrupted <em>global</em>
 * store it does not: under {@code exactly_once_v2} a RocksDB store that was open when the process
 * died (it was flushed while open, e.g. after 10,000 cache records or a large restore) fails its
 * next open with {@code TaskCorruptedException} for task {@code -1_-1}, the global thread dies and
 * every later start fails the same way (KAFKA-21034). The global store here is the shared embedding
 * cache, a copy of the embeddings topic: this class wipes only the global state folder and starts a
 * fresh client, which restores the store from its topic.
 *
 * <p>Not thread-safe: start and close from one thread; {@link #state} may be read from any.
 */
final class RebuildingStreams {

  private static final Logger LOG = LoggerFactory.getLogger(RebuildingStreams.class);

  private final Supplier<KafkaStreams> clients;
  private final Path globalStateDir;
  private final String globalTopic;
  private volatile KafkaStreams streams;

  /**
   * @param clients a new, unstarted client of the application on each call
   * @param stateDir the application's {@code state.dir}
   * @param applicationId the application id (its state lives in {@code stateDir/applicationId})
   * @param globalTopic the topic the global store is rebuilt from, for the log line
   */
  RebuildingStreams(
      Supplier<KafkaStreams> clients, Path stateDir, String applicationId, String globalTopic) {
    this.clients = clients;
    this.globalStateDir = stateDir.resolve(applicationId).resolve("global");
    this.globalTopic = globalTopic;
    this.streams = clients.get();
  }

  /**
   * Starts the client; if its global store cannot be opened, wipes the global state, logs one line
   * saying so and starts a fresh client once. A second failure is thrown.
   */
  void start() {
    try {
      startClient();
    } catch (RuntimeException e) {
      Optional<Throwable> corruption = stateCorruption(e);
      if (corruption.isEmpty()) {
        throw e;
      }
      streams.close(Duration.ofMinutes(1));
      wipe(globalStateDir);
      LOG.warn(
          "rebuilding the shared embedding cache (global store) from topic {}: its local copy in {}"
              + " was left unusable by an unclean stop ({})",
          globalTopic,
          globalStateDir,
          corruption.get().getMessage());
      streams = clients.get();
      startClient();
    }
  }

  private void startClient() {
    streams.setUncaughtExceptionHandler(
        e -> {
          LOG.error("indexer stream failed; replacing the stream thread", e);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    CacheRestore restore = new CacheRestore();
    streams.setGlobalStateRestoreListener(restore);
    long started = System.nanoTime();
    streams.start(); // returns once the global store is restored
    if (restore.records.get() > 0) {
      LOG.info(
          "restored {} shared embedding cache records from topic {} in {} ms",
          restore.records.get(),
          globalTopic,
          (System.nanoTime() - started) / 1_000_000);
    }
  }

  /** Says when a restore of the global store begins and counts what it restored. */
  private final class CacheRestore implements StateRestoreListener {
    private final AtomicLong records = new AtomicLong();
    private final AtomicBoolean announced = new AtomicBoolean();

    @Override
    public void onRestoreStart(
        TopicPartition partition, String store, long startingOffset, long endingOffset) {
      if (endingOffset > startingOffset && announced.compareAndSet(false, true)) {
        LOG.info("restoring the shared embedding cache from topic {}", globalTopic);
      }
    }

    @Override
    public void onBatchRestored(
        TopicPartition partition, String store, long batchEndOffset, long numRestored) {
      records.addAndGet(numRestored);
    }

    @Override
    public void onRestoreEnd(TopicPartition partition, String store, long totalRestored) {}
  }

  /** State of the current client (RUNNING once partitions are assigned). */
  KafkaStreams.State state() {
    return streams.state();
  }

  /** The current client, to close it. */
  KafkaStreams client() {
    return streams;
  }

  /** The state corruption somewhere in {@code e}'s causes, if that is what it is. */
  static Optional<Throwable> stateCorruption(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TaskCorruptedException || cause instanceof ProcessorStateException) {
        return Optional.of(cause);
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return Optional.empty();
  }

  private static void wipe(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not wipe the global state in " + dir, e);
    }
  }
}
