package dev.agentbrain.topics;

import io.apicurio.registry.resolver.config.SchemaResolverConfig;
import io.apicurio.registry.serde.avro.AvroKafkaDeserializer;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import io.apicurio.registry.serde.avro.AvroSerdeConfig;
import java.net.URI;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * Avro serdes that go through the schema registry, in the Confluent-compatible wire format (magic
 * byte 0, then the 4-byte content id that the registry's ccompat API calls the schema id), so that
 * any registry-aware Avro consumer can read our topics.
 */
public final class EventSerdes implements ValueSerdes {

  static {
    AvroLimits.install();
  }

  private final URI registryUrl;

  public EventSerdes(URI registryUrl) {
    this.registryUrl = registryUrl;
  }

  /** The base URL of the registry's v3 REST API, as the serdes are configured with it. */
  public static String apiUrl(URI registryUrl) {
    return registryUrl + "/apis/registry/v3";
  }

  /** Serializer/deserializer settings, also usable by any Kafka client outside this project. */
  public Map<String, Object> clientConfig(boolean isKey) {
    return Map.of(
        SchemaResolverConfig.REGISTRY_URL,
        apiUrl(registryUrl),
        SchemaResolverConfig.AUTO_REGISTER_ARTIFACT,
        true,
        // without canonical form, formatting differences register duplicate versions
        SchemaResolverConfig.CANONICALIZE,
        true,
        AvroSerdeConfig.USE_SPECIFIC_AVRO_READER,
        true,
        "apicurio.registry.is-key",
        isKey);
  }

  /** A value serde for a generated Avro type. */
  @Override
  public <T extends SpecificRecord> Serde<T> forType(Class<T> type, Schema schema) {
    AvroKafkaSerializer<T> serializer = new AvroKafkaSerializer<>();
    AvroKafkaDeserializer<T> deserializer = new AvroKafkaDeserializer<>();
    serializer.configure(clientConfig(false), false);
    deserializer.configure(clientConfig(false), false);
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
