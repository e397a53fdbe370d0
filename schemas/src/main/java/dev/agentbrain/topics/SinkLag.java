package dev.agentbrain.topics;

import dev.agentbrain.config.Backend;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * How far each backend's sink is behind the chunks topic, from the sink groups' committed offsets
 * (what a backend is known to hold), seen from outside the indexer: any process can ask. Offsets
 * count transaction markers too, so a sink that has written everything may sit one offset behind
 * per partition; {@link #caughtUp} allows for that. Thread-safe.
 */
public final class SinkLag implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final Admin admin;
  private final Topics topics;

  public SinkLag(String bootstrap, Topics topics) {
    this.admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                // the client refuses an API timeout below the request timeout (30 s by default)
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                (int) TIMEOUT.toMillis()));
    this.topics = topics;
  }

  /** The last committed offset of every partition of the chunks topic (the log-stable offset). */
  public Map<TopicPartition, Long> endOffsets() {
    String topic = topics.chunks().name();
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    try {
      int partitions =
          admin
              .describeTopics(java.util.List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic)
              .partitions()
              .size();
      for (int p = 0; p < partitions; p++) {
        request.put(new TopicPartition(topic, p), OffsetSpec.latest());
      }
      Map<TopicPartition, Long> ends = new HashMap<>();
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .forEach((partition, info) -> ends.put(partition, info.offset()));
      return ends;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer for the offsets of " + topic + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading offsets", e);
    }
  }

  /** Offsets the backend's sink group has committed, by partition (absent: nothing yet). */
  public Map<TopicPartition, Long> committed(Backend backend) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin
              .listConsumerGroupOffsets(topics.sinkGroup(backend))
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, Long> committed = new HashMap<>();
      offsets.forEach(
          (partition, offset) -> {
            if (offset != null) {
              committed.put(partition, offset.offset());
            }
          });
      return committed;
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka did not answer for the offsets of group "
              + topics.sinkGroup(backend)
              + ": "
              + e.getMessage(),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading offsets", e);
    }
  }

  /** Offsets of the chunks topic the backend's sink has not committed, summed over partitions. */
  public long lag(Backend backend) {
    return lag(endOffsets(), committed(backend));
  }

  /** True when the backend's sink has committed everything up to {@code targets}. */
  public boolean caughtUp(Backend backend, Map<TopicPartition, Long> targets) {
    Map<TopicPartition, Long> committed = committed(backend);
    for (Map.Entry<TopicPartition, Long> target : targets.entrySet()) {
      // the last offset before a target may be a transaction marker no consumer commits past
      if (committed.getOrDefault(target.getKey(), 0L) < target.getValue() - 1) {
        return false;
      }
    }
    return true;
  }

  /**
   * The lag of committed offsets behind end offsets (last stable offsets), summed over the
   * partitions of {@code ends}. The chunks topic is written in transactions only, so the offset
   * just before a partition's last stable offset is a transaction marker, which a sink never
   * commits past (it commits its last record + 1): that one offset is not counted, and a sink that
   * has written everything shows 0. The markers of earlier transactions not read yet still count.
   */
  public static long lag(Map<TopicPartition, Long> ends, Map<TopicPartition, Long> committed) {
    long total = 0;
    for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
      total += Math.max(0, end.getValue() - 1 - committed.getOrDefault(end.getKey(), 0L));
    }
    return total;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
