package dev.agentbrain.topics;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

/**
 * Plain Avro binary, without the registry: for state stores and their changelogs, which only the
 * process that wrote them reads. Events on public topics use {@link EventSerdes}.
 */
public final class LocalAvroSerde {

  static {
    AvroLimits.install();
  }

  private LocalAvroSerde() {}

  /** Value serdes for every topic in plain Avro: for tests that run without the registry. */
  public static ValueSerdes values() {
    return LocalAvroSerde::of;
  }

  public static <T extends SpecificRecord> Serde<T> of(Class<T> type, Schema schema) {
    SpecificDatumWriter<T> writer = new SpecificDatumWriter<>(schema);
    SpecificDatumReader<T> reader = new SpecificDatumReader<>(schema);
    Serializer<T> serializer =
        (topic, value) -> {
          if (value == null) {
            return null;
          }
          try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(512);
            BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(out, null);
            writer.write(value, encoder);
            encoder.flush();
            return out.toByteArray();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        };
    Deserializer<T> deserializer =
        (topic, bytes) -> {
          if (bytes == null) {
            return null;
          }
          try {
            return type.cast(reader.read(null, DecoderFactory.get().binaryDecoder(bytes, null)));
          } catch (IOException | RuntimeException e) {
            // cut short (EOF), a negative length, an enum or union index out of range: Avro
            // throws any of these on bytes that are not the type, and a consumer handles one
            throw new SerializationException(
                bytes.length
                    + " bytes on '"
                    + topic
                    + "' are not a "
                    + type.getSimpleName()
                    + " in plain Avro ("
                    + e
                    + ")",
                e);
          }
        };
    return Serdes.serdeFrom(serializer, deserializer);
  }
}
