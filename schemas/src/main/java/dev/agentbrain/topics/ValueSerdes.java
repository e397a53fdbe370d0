package dev.agentbrain.topics;

import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;

/**
 * Makes the value serde of a topic. Production uses {@link EventSerdes} (through the schema
 * registry); topology unit tests use {@link LocalAvroSerde#values()}, which needs no service.
 */
@FunctionalInterface
public interface ValueSerdes {
  <T extends SpecificRecord> Serde<T> forType(Class<T> type, Schema schema);
}
