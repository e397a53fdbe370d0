package dev.agentbrain.jobs;

import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every job of the jobs topic, kept current by a thread that follows the topic: the view every API
 * replica answers from. Waiters are woken on every change.
 */
final class JobTable implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(JobTable.class);
  static final String CANCEL_SUFFIX = "/cancel";

  private final Map<String, Job> jobs = new ConcurrentHashMap<>();
  private final Set<String> cancels = ConcurrentHashMap.newKeySet();
  private final KafkaConsumer<String, String> consumer;
  private final TopicPartition partition;
  private final Thread thread;
  private volatile boolean caughtUp;

  JobTable(String bootstrap, String topic) {
    this.partition = new TopicPartition(topic, 0);
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.CLIENT_ID_CONFIG,
                "agent-brain-jobs-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false),
            new StringDeserializer(),
            new StringDeserializer());
    this.thread = Thread.ofPlatform().name("job-table").daemon().unstarted(this::follow);
  }

  void start() {
    thread.start();
  }

  private void follow() {
    try {
      consumer.assign(List.of(partition));
      consumer.seekToBeginning(List.of(partition));
      long end = consumer.endOffsets(List.of(partition)).get(partition);
      while (!Thread.currentThread().isInterrupted()) {
        var records = consumer.poll(Duration.ofMillis(200));
        for (ConsumerRecord<String, String> record : records) {
          apply(record.key(), record.value());
        }
        if (!caughtUp && consumer.position(partition) >= end) {
          caughtUp = true;
        }
        if (!records.isEmpty() || caughtUp) {
          synchronized (this) {
            notifyAll();
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("the jobs topic cannot be read any more: {}", e.getMessage(), e);
    } finally {
      consumer.close();
    }
  }

  /** Applies one record of the topic (or one this process just wrote). */
  void apply(String key, String value) {
    if (key == null) {
      return;
    }
    if (key.endsWith(CANCEL_SUFFIX)) {
      String id = key.substring(0, key.length() - CANCEL_SUFFIX.length());
      if (value == null) {
        cancels.remove(id);
      } else {
        cancels.add(id);
      }
    } else if (value == null) {
      jobs.remove(key);
    } else {
      Job job = JobJson.read(value);
      // a replica's late write never takes a finished job back
      jobs.merge(key, job, (old, now) -> old.state().finished() ? old : now);
    }
    synchronized (this) {
      notifyAll();
    }
  }

  /** Waits until the topic has been read to where it ended at start. */
  synchronized void awaitCaughtUp() throws InterruptedException {
    while (!caughtUp) {
      wait(1000);
    }
  }

  Optional<Job> get(String id) {
    Job job = jobs.get(id);
    if (job == null) {
      return Optional.empty();
    }
    return Optional.of(
        cancels.contains(id) && !job.cancelRequested() ? job.withCancelRequested() : job);
  }

  boolean cancelRequested(String id) {
    return cancels.contains(id);
  }

  /** Newest first. */
  List<Job> all() {
    return jobs.keySet().stream()
        .map(this::get)
        .flatMap(Optional::stream)
        .sorted(Comparator.comparing(Job::submittedAt).reversed().thenComparing(Job::id))
        .toList();
  }

  /** Waits until the job has finished or the deadline (System.nanoTime) has passed. */
  synchronized Optional<Job> awaitFinished(String id, long deadline) throws InterruptedException {
    Optional<Job> job = get(id);
    while (job.isPresent() && !job.get().state().finished()) {
      long left = deadline - System.nanoTime();
      if (left <= 0) {
        break;
      }
      wait(Math.max(1, Math.min(1000, left / 1_000_000)));
      job = get(id);
    }
    return job;
  }

  @Override
  public void close() {
    consumer.wakeup();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
