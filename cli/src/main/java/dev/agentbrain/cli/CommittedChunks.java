package dev.agentbrain.cli;

import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The chunks topic as the sinks see it: every event of a committed indexer transaction, read from
 * the beginning to the current end, without joining a consumer group.
 */
final class CommittedChunks {

  private CommittedChunks() {}

  /** Every committed chunk event of the wiring's chunks topic, partition by partition. */
  static List<EmbeddedChunk> read(Wiring wiring) {
    Topic<String, EmbeddedChunk> chunks = wiring.topics().chunks();
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, wiring.bootstrap());
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 16 * 1024 * 1024);
    config.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 8 * 1024 * 1024);
    try (KafkaConsumer<String, EmbeddedChunk> consumer =
        new KafkaConsumer<>(
            config, Serdes.String().deserializer(), chunks.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(chunks.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      // for read_committed, the end is the last stable offset: no open transaction is waited for
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      List<EmbeddedChunk> events = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
        for (ConsumerRecord<String, EmbeddedChunk> record : consumer.poll(Duration.ofSeconds(1))) {
          events.add(record.value());
        }
      }
      return events;
    }
  }
}
