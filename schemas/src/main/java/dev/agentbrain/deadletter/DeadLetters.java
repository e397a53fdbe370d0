package dev.agentbrain.deadletter;

import dev.agentbrain.events.DeadLetter;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Builds dead-letter records: the original key and value bytes, and why they were refused, both in
 * the record and as headers ({@code agentbrain.dlq.*}) for tools that do not read Avro.
 */
public final class DeadLetters {

  public static final String HEADER_PREFIX = "agentbrain.dlq.";

  private DeadLetters() {}

  /** Where the refused record came from. */
  public record Origin(String topic, int partition, long offset) {}

  /**
   * A dead-letter record ready to send: key bytes, the letter, and its headers.
   *
   * @param key the refused record's key as UTF-8, {@code null} when it had none
   */
  public record Entry(byte[] key, DeadLetter letter, Headers headers) {}

  /** The dead-letter record for a refused record with this (string) key and value bytes. */
  public static Entry of(
      Stage stage, String reason, Throwable error, Origin origin, String key, byte[] value) {
    DeadLetter letter = letter(stage, reason, error, origin, key, value);
    return new Entry(
        key == null ? null : key.getBytes(StandardCharsets.UTF_8), letter, headers(letter));
  }

  static DeadLetter letter(
      Stage stage, String reason, Throwable error, Origin origin, String key, byte[] value) {
    return DeadLetter.newBuilder()
        .setStage(stage.id())
        .setReason(reason)
        .setErrorClass(error == null ? "" : error.getClass().getName())
        .setSourceTopic(origin.topic())
        .setSourcePartition(origin.partition())
        .setSourceOffset(origin.offset())
        .setKey(key == null ? null : ByteBuffer.wrap(key.getBytes(StandardCharsets.UTF_8)))
        .setValue(value == null ? null : ByteBuffer.wrap(value))
        .setFailedAt(Instant.now())
        .build();
  }

  static Headers headers(DeadLetter letter) {
    Headers headers = new RecordHeaders();
    add(headers, "stage", letter.getStage());
    add(headers, "reason", letter.getReason());
    add(headers, "error.class", letter.getErrorClass());
    add(headers, "source.topic", letter.getSourceTopic());
    add(headers, "source.partition", String.valueOf(letter.getSourcePartition()));
    add(headers, "source.offset", String.valueOf(letter.getSourceOffset()));
    return headers;
  }

  private static void add(Headers headers, String name, String value) {
    headers.add(HEADER_PREFIX + name, value.getBytes(StandardCharsets.UTF_8));
  }
}
