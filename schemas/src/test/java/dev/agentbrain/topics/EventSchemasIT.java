package dev.agentbrain.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.testing.LocalServices;
import io.apicurio.registry.rest.client.models.ProblemDetails;
import io.apicurio.registry.serde.avro.AvroKafkaSerializer;
import java.net.URI;
import java.time.Instant;
import java.util.UUID;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Event schemas in the real registry under the BACKWARD rule: a producer whose schema could not
 * read the events already on a topic is refused before it writes anything.
 */
class EventSchemasIT {

  private URI registryUrl;
  private RegistryClient registry;
  private String topic;

  @BeforeEach
  void publishFirstVersion() {
    registryUrl = LocalServices.requireRegistry();
    registry = new RegistryClient(registryUrl);
    EventSchemas.enforceCompatibility(registry);
    topic = "it-" + UUID.randomUUID() + ".documents";
    new EventSerdes(registryUrl)
        .forType(DocumentEvent.class, DocumentEvent.getClassSchema())
        .serializer()
        .serialize(topic, document());
  }

  @AfterEach
  void forget() {
    registry.deleteArtifact(EventSchemas.GROUP, topic + "-value");
  }

  @Test
  @DisplayName("a new required field (no default) is refused by the registry")
  void incompatibleSchemaIsRefused() {
    GenericRecord changed = withNewField(false);

    assertThatThrownBy(() -> genericSerializer().serialize(topic, changed))
        .rootCause()
        .isInstanceOfSatisfying(
            ProblemDetails.class,
            problem -> {
              assertThat(problem.getName()).isEqualTo("RuleViolationException");
              assertThat(problem.getDetail()).contains("Incompatible artifact").contains("owner");
            });
    assertThat(registry.versions(EventSchemas.GROUP, topic + "-value")).hasSize(1);
  }

  @Test
  @DisplayName("a new field with a default is accepted as the next version")
  void compatibleSchemaIsAccepted() {
    assertThatCode(() -> genericSerializer().serialize(topic, withNewField(true)))
        .doesNotThrowAnyException();
    assertThat(registry.versions(EventSchemas.GROUP, topic + "-value")).hasSize(2);
  }

  private AvroKafkaSerializer<GenericRecord> genericSerializer() {
    AvroKafkaSerializer<GenericRecord> serializer = new AvroKafkaSerializer<>();
    serializer.configure(new EventSerdes(registryUrl).clientConfig(false), false);
    return serializer;
  }

  /** The document event, as a generic record of a schema with one more field. */
  private static GenericRecord withNewField(boolean withDefault) {
    SchemaBuilder.FieldAssembler<Schema> fields =
        SchemaBuilder.record(DocumentEvent.getClassSchema().getName())
            .namespace(DocumentEvent.getClassSchema().getNamespace())
            .fields();
    for (Schema.Field field : DocumentEvent.getClassSchema().getFields()) {
      SchemaBuilder.GenericDefault<Schema> typed = fields.name(field.name()).type(field.schema());
      fields = field.hasDefaultValue() ? typed.withDefault(field.defaultVal()) : typed.noDefault();
    }
    Schema schema =
        withDefault
            ? fields.name("owner").type().stringType().stringDefault("").endRecord()
            : fields.name("owner").type().stringType().noDefault().endRecord();
    DocumentEvent source = document();
    GenericRecord record = new GenericData.Record(schema);
    for (Schema.Field field : DocumentEvent.getClassSchema().getFields()) {
      Object value = source.get(field.name());
      // a generic record holds the wire types: millis, not Instant; enum symbols, not Java enums
      if (value instanceof Instant instant) {
        value = instant.toEpochMilli();
      } else if (value instanceof Enum<?> symbol) {
        value = new GenericData.EnumSymbol(field.schema(), symbol.name());
      }
      record.put(field.name(), value);
    }
    record.put("owner", "someone");
    return record;
  }

  private static DocumentEvent document() {
    return DocumentEvent.newBuilder()
        .setId("d1")
        .setIndex("docs")
        .setSource("a.md")
        .setContent("text")
        .setPublishedAt(Instant.EPOCH)
        .build();
  }
}
