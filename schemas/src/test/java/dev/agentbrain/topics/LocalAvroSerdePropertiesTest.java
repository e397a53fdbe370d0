package dev.agentbrain.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.PendingChunk;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Random bytes given to {@link LocalAvroSerde}'s deserializer are a record or a {@link
 * SerializationException} naming the type, never another exception.
 */
class LocalAvroSerdePropertiesTest {

  private static final List<Deserializer<?>> DESERIALIZERS =
      List.of(
          LocalAvroSerde.of(DocumentEvent.class, DocumentEvent.getClassSchema()).deserializer(),
          LocalAvroSerde.of(PendingChunk.class, PendingChunk.getClassSchema()).deserializer(),
          LocalAvroSerde.of(EmbeddedChunk.class, EmbeddedChunk.getClassSchema()).deserializer());

  @Property(tries = 300)
  void randomBytesAreARecordOrASerializationError(@ForAll @Size(max = 200) byte[] bytes) {
    DESERIALIZERS.forEach(deserializer -> assertRecordOrRefused(deserializer, bytes));
  }

  private static void assertRecordOrRefused(Deserializer<?> deserializer, byte[] bytes) {
    Throwable thrown = catchThrowable(() -> deserializer.deserialize("t", bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(SerializationException.class);
      assertThat(thrown.getMessage()).contains("plain Avro");
    }
  }
}
