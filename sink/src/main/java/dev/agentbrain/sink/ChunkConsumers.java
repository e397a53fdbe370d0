package dev.agentbrain.sink;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.Serdes;

/** Consumers of the chunks topic, configured in one place for every reader that writes a store. */
public final class ChunkConsumers {

  private ChunkConsumers() {}

  /**
   * A consumer that sees only chunks of committed indexer transactions, never commits offsets by
   * itself (the caller commits them after the store has the writes, or keeps them elsewhere) and
   * never creates the topic.
   *
   * @param group the consumer group (a sink's), or empty for a consumer that assigns partitions
   *     itself and keeps its offsets elsewhere (a keyword index's Lucene commit)
   */
  public static KafkaConsumer<String, byte[]> create(String bootstrap, Optional<String> group) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    // a reader that asks for the chunks topic before the indexer made it must not create it (a
    // broker that auto-creates topics would make it with its default partition count)
    config.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
    group.ifPresent(
        id -> {
          config.put(ConsumerConfig.GROUP_ID_CONFIG, id);
          config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        });
    return new KafkaConsumer<>(
        config, Serdes.String().deserializer(), Serdes.ByteArray().deserializer());
  }
}
