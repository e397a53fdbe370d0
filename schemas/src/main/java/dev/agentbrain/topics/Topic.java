package dev.agentbrain.topics;

import java.util.Map;
import java.util.Objects;
import org.apache.kafka.common.serialization.Serde;

/**
 * Everything there is to know about one topic: its name, how it is created and how its keys and
 * values are (de)serialized.
 *
 * @param name full topic name (prefix included)
 * @param partitions partitions it is created with
 * @param configs topic configs it is created with (cleanup policy, retention, ...)
 */
public record Topic<K, V>(
    String name,
    int partitions,
    Map<String, String> configs,
    Serde<K> keySerde,
    Serde<V> valueSerde) {

  public Topic {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(keySerde, "keySerde");
    Objects.requireNonNull(valueSerde, "valueSerde");
    configs = Map.copyOf(configs);
  }
}
