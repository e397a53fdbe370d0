package dev.agentbrain.topics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * How far a consumer group (a Streams application id) has read a topic, from Kafka alone: its
 * committed offsets against the topic's end offsets. Any process that reaches the broker can ask,
 * so a query API on another host shows the same figures as the process doing the work.
 *
 * @param done records before the group's committed offsets, summed over partitions (offsets of a
 *     compacted topic are not contiguous, so this counts positions in the log, not surviving keys)
 * @param total the topic's end offsets, summed over partitions
 */
public record GroupProgress(long done, long total) {

  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  /** True when the group has committed up to the current end of every partition. */
  public boolean caughtUp() {
    return done >= total;
  }

  /** {@code done / total} in 0..1; 1 for an empty topic. */
  public double fraction() {
    return total == 0 ? 1 : Math.min(1, (double) done / total);
  }

  /**
   * Reads the group's committed offsets and the topic's end offsets.
   *
   * @throws IllegalStateException when Kafka does not answer in time
   */
  public static GroupProgress of(Admin admin, String groupId, String topic) {
    try {
      List<TopicPartition> partitions =
          admin
              .describeTopics(List.of(topic))
              .allTopicNames()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
              .get(topic)
              .partitions()
              .stream()
              .map(p -> new TopicPartition(topic, p.partition()))
              .toList();
      Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
          admin
              .listOffsets(
                  partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
              .all()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      Map<TopicPartition, OffsetAndMetadata> committed =
          admin
              .listConsumerGroupOffsets(groupId)
              .partitionsToOffsetAndMetadata()
              .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      long done = 0;
      long total = 0;
      for (TopicPartition partition : partitions) {
        total += ends.get(partition).offset();
        OffsetAndMetadata offset = committed.get(partition);
        done += offset == null ? 0 : offset.offset();
      }
      return new GroupProgress(done, total);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while reading offsets of " + groupId, e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "could not read the offsets of " + groupId + " on " + topic + " from Kafka", e);
    }
  }
}
