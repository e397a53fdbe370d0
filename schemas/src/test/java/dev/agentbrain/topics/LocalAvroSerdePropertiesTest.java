package dev.agentbrain.topics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.PendingChunk;
import java.util.List;
import net.jqwik.api.Example;
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

  /**
   * Bytes that announce a string of a billion characters, and an array of two billion items (a fuzz
   * run found the second: Avro allocated for it until the heap ran out), are refused before
   * anything that large is allocated.
   */
  @Example
  void hugeAnnouncedLengthsAreRefusedBeforeAllocating() {
    byte[] hugeString = {(byte) 0x80, (byte) 0xa8, (byte) 0xd6, (byte) 0xb9, 0x07}; // 10^9
    byte[] hugeArray = {(byte) 0xfe, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x0f}; // 2^31 - 1
    DESERIALIZERS.forEach(
        deserializer -> {
          assertRecordOrRefused(deserializer, hugeString);
          assertRecordOrRefused(deserializer, hugeArray);
        });
    Throwable refused = catchThrowable(() -> DESERIALIZERS.getFirst().deserialize("t", hugeString));
    assertThat(refused).hasMessageContaining("exceeds maximum allowed");
  }

  private static void assertRecordOrRefused(Deserializer<?> deserializer, byte[] bytes) {
    Throwable thrown = catchThrowable(() -> deserializer.deserialize("t", bytes));
    if (thrown != null) {
      assertThat(thrown).isInstanceOf(SerializationException.class);
      assertThat(thrown.getMessage()).contains("plain Avro");
    }
  }
}
