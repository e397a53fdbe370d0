package dev.agentbrain.cli;

import dev.agentbrain.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A topic's values as a consumer of committed data sees them (read_committed), read up to the
 * current end without joining a consumer group.
 */
public final class TopicContents {

  /** Read every partition from its beginning. */
  public static final long ALL = Long.MAX_VALUE;

  private TopicContents() {}

  /**
   * The values of {@code topic}, partition by partition, oldest first.
   *
   * @param lastPerPartition at most this many of the newest records of each partition, or {@link
   *     #ALL}
   */
  public static <K, V> List<V> read(String bootstrap, Topic<K, V> topic, long lastPerPartition) {
    List<V> values = new ArrayList<>();
    forEach(bootstrap, topic, lastPerPartition, (key, value) -> values.add(value));
    return values;
  }

  /**
   * The latest value of each key of a compacted {@code topic} that {@code keep} accepts; a key
   * whose latest record is a tombstone is absent.
   */
  public static <K, V> Map<K, V> latest(String bootstrap, Topic<K, V> topic, Predicate<K> keep) {
    Map<K, V> latest = new HashMap<>();
    forEach(
        bootstrap,
        topic,
        ALL,
        (key, value) -> {
          if (!keep.test(key)) {
            return;
          }
          if (value == null) {
            latest.remove(key);
          } else {
            latest.put(key, value);
          }
        });
    return latest;
  }

  /**
   * Hands each record of {@code topic} (key and value; a tombstone has a null value) to {@code
   * action}, partition by partition, oldest first, without keeping them: for topics too large to
   * hold in memory.
   *
   * @param lastPerPartition at most this many of the newest records of each partition, or {@link
   *     #ALL}
   */
  public static <K, V> void forEach(
      String bootstrap, Topic<K, V> topic, long lastPerPartition, BiConsumer<K, V> action) {
    forEachRecord(
        bootstrap,
        topic.name(),
        topic.keySerde().deserializer(),
        topic.valueSerde().deserializer(),
        lastPerPartition,
        record -> action.accept(record.key(), record.value()));
  }

  /**
   * Hands each record of the topic named {@code topic} to {@code action} whole (position, headers,
   * timestamp), partition by partition, oldest first.
   *
   * @param lastPerPartition at most this many of the newest records of each partition, or {@link
   *     #ALL}
   */
  public static <K, V> void forEachRecord(
      String bootstrap,
      String topic,
      Deserializer<K> keys,
      Deserializer<V> values,
      long lastPerPartition,
      Consumer<ConsumerRecord<K, V>> action) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    try (KafkaConsumer<K, V> consumer = new KafkaConsumer<>(config, keys, values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> begin = consumer.beginningOffsets(partitions);
      // for read_committed, the end is the last stable offset: no open transaction is waited for
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        long first = Math.max(begin.get(partition), end.get(partition) - lastPerPartition);
        consumer.seek(partition, Math.max(first, 0));
      }
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofSeconds(1))) {
          if (record.offset() < end.get(new TopicPartition(record.topic(), record.partition()))) {
            action.accept(record);
          }
        }
      }
    }
  }

  /**
   * Hands each record of one partition from offset {@code from} (inclusive) to {@code to}
   * (exclusive) to {@code action}, as raw bytes with a string key.
   */
  static void forEachRecordBetween(
      String bootstrap,
      TopicPartition partition,
      long from,
      long to,
      Consumer<ConsumerRecord<String, byte[]>> action) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10_000);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(partition));
      consumer.seek(partition, from);
      while (consumer.position(partition) < to) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(1))) {
          if (record.offset() < to) {
            action.accept(record);
          }
        }
      }
    }
  }
}
