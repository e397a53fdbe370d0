package dev.agentbrain.cli;

import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.topics.Topics;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Re-drives dead letters through the pipeline by appending, for each document a letter refused, the
 * document's current record from the documents topic again, so that the indexer processes it anew.
 *
 * <p>What is re-driven is always the latest record of the document in the log, and only when that
 * is still the version that failed: a letter whose document has a newer version (or was deleted)
 * since is skipped, as the newer version went through the pipeline on its own. The copy carries the
 * header {@value #RETRY_OF} (the position of the record it repeats), which is also how a retried
 * letter is known: once a copy appended after the letter failed is the document's latest record,
 * the letter counts as re-driven and is not retried again. If the copy fails too, that failure is a
 * new dead letter of its own. Should another version of the document be published while the copy is
 * being appended, the newest record is appended once more after the copy, so the log's last word on
 * the document is never an older version.
 */
final class DeadLetterRetry {

  /** Header on a re-driven document record: "partition:offset" of the record it repeats. */
  static final String RETRY_OF = "agentbrain.retry.of";

  /** A dead letter and its position (its id is its offset: the dead-letter topic has one part). */
  record Letter(long id, DeadLetter letter) {

    Optional<String> documentId() {
      return Optional.ofNullable(letter.getKey())
          .map(key -> StandardCharsets.UTF_8.decode(key.duplicate()).toString());
    }
  }

  /** What became of one letter. */
  sealed interface Outcome {
    /** Its document was appended again (once per document, however many letters it has). */
    record Sent(String documentId, int partition, long offset) implements Outcome {}

    /** Not re-driven, because doing so would be useless or wrong. */
    record Skipped(Why why, String detail) implements Outcome {}

    /** Could not be re-driven. */
    record Failed(String reason) implements Outcome {}
  }

  /** Why a letter was skipped. */
  enum Why {
    NEWER_VERSION("a newer version of the document exists"),
    DELETED("the document was deleted since"),
    ALREADY_RETRIED("already re-driven");

    final String words;

    Why(String words) {
      this.words = words;
    }
  }

  /** The latest record of a document in the documents topic. */
  record Latest(int partition, long offset, long timestamp, byte[] value, Headers headers) {

    /** The position of the original this record repeats, or its own when it is no copy. */
    String origin() {
      Header header = headers.lastHeader(RETRY_OF);
      return header != null
          ? new String(header.value(), StandardCharsets.UTF_8)
          : partition + ":" + offset;
    }

    boolean isCopy() {
      return headers.lastHeader(RETRY_OF) != null;
    }
  }

  private final Wiring wiring;

  DeadLetterRetry(Wiring wiring) {
    this.wiring = wiring;
  }

  /** Every dead letter, oldest first. */
  List<Letter> letters() {
    List<Letter> letters = new ArrayList<>();
    Topics topics = wiring.topics();
    TopicContents.forEachRecord(
        wiring.bootstrap(),
        topics.deadLetters().name(),
        new ByteArrayDeserializer(),
        topics.deadLetters().valueSerde().deserializer(),
        TopicContents.ALL,
        record -> letters.add(new Letter(record.offset(), record.value())));
    return letters;
  }

  /** The latest record of each of these documents in the documents topic. */
  Map<String, Latest> latest(Set<String> documentIds) {
    Map<String, Latest> latest = new HashMap<>();
    TopicContents.forEachRecord(
        wiring.bootstrap(),
        wiring.topics().documents().name(),
        new StringDeserializer(),
        new ByteArrayDeserializer(),
        TopicContents.ALL,
        (ConsumerRecord<String, byte[]> record) -> {
          if (record.key() != null && documentIds.contains(record.key())) {
            latest.put(
                record.key(),
                new Latest(
                    record.partition(),
                    record.offset(),
                    record.timestamp(),
                    record.value(),
                    record.headers()));
          }
        });
    return latest;
  }

  /** What a retry would do with {@code letter}, given its document's latest record. */
  Outcome decide(Letter letter, Optional<Latest> latest) {
    Optional<String> documentId = letter.documentId();
    if (documentId.isEmpty()) {
      return new Outcome.Failed(
          "the refused record has no document id; publish the document again");
    }
    if (latest.isEmpty() || latest.get().value() == null) {
      return new Outcome.Skipped(Why.DELETED, "no record of it left in the documents topic");
    }
    Latest current = latest.get();
    DeadLetter dead = letter.letter();
    boolean failedOnThis;
    if (dead.getSourceTopic().equals(wiring.topics().documents().name())) {
      failedOnThis =
          current.partition() == dead.getSourcePartition()
              && current.offset() == dead.getSourceOffset();
    } else {
      // refused after the indexer (a sink): the chunk says which document version it was
      Optional<Long> refused = chunkVersion(dead);
      if (refused.isEmpty()) {
        return new Outcome.Failed("the refused record is not a readable chunk");
      }
      long version =
          wiring
              .topics()
              .documents()
              .valueSerde()
              .deserializer()
              .deserialize(wiring.topics().documents().name(), current.value())
              .getVersion();
      if (version > refused.get()) {
        return new Outcome.Skipped(
            Why.NEWER_VERSION, "version " + version + " after " + refused.get());
      }
      failedOnThis = !current.isCopy() || current.timestamp() < dead.getFailedAt().toEpochMilli();
    }
    if (failedOnThis) {
      return new Outcome.Sent(documentId.get(), current.partition(), current.offset());
    }
    if (current.isCopy() && current.timestamp() >= dead.getFailedAt().toEpochMilli()) {
      return new Outcome.Skipped(
          Why.ALREADY_RETRIED, "as documents " + current.partition() + ":" + current.offset());
    }
    return new Outcome.Skipped(
        Why.NEWER_VERSION, "documents " + current.partition() + ":" + current.offset());
  }

  /**
   * Re-drives the letters: decides each, appends each document to re-drive once, and returns what
   * became of every letter, in the order given.
   */
  Map<Letter, Outcome> retry(List<Letter> letters) {
    Map<String, Latest> latest =
        latest(
            letters.stream()
                .map(Letter::documentId)
                .flatMap(Optional::stream)
                .collect(Collectors.toSet()));
    Map<Letter, Outcome> outcomes = new LinkedHashMap<>();
    Map<String, Outcome> sent = new HashMap<>();
    try (KafkaProducer<String, byte[]> producer = producer()) {
      for (Letter letter : letters) {
        Outcome decided = decide(letter, letter.documentId().map(latest::get));
        if (decided instanceof Outcome.Sent planned) {
          decided =
              sent.computeIfAbsent(
                  planned.documentId(), id -> append(producer, id, latest.get(id)));
        }
        outcomes.put(letter, decided);
      }
    }
    return outcomes;
  }

  /** Appends {@code current} again, and once more the newest record if one raced it. */
  private Outcome append(
      KafkaProducer<String, byte[]> producer, String documentId, Latest current) {
    try {
      RecordMetadata copy = send(producer, documentId, current);
      Optional<Latest> raced = newerBetween(documentId, current, copy);
      if (raced.isPresent()) {
        send(producer, documentId, raced.get());
      }
      return new Outcome.Sent(documentId, copy.partition(), copy.offset());
    } catch (ExecutionException e) {
      return new Outcome.Failed("Kafka did not take the document: " + e.getCause().getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Outcome.Failed("interrupted while appending the document");
    }
  }

  private RecordMetadata send(
      KafkaProducer<String, byte[]> producer, String documentId, Latest record)
      throws ExecutionException, InterruptedException {
    Headers headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!header.key().equals(RETRY_OF)) {
        headers.add(header);
      }
    }
    headers.add(RETRY_OF, record.origin().getBytes(StandardCharsets.UTF_8));
    return producer
        .send(
            new ProducerRecord<>(
                wiring.topics().documents().name(),
                record.partition(),
                documentId,
                record.value(),
                headers))
        .get();
  }

  /** A record of the document appended after {@code current} and before {@code copy}, newest. */
  private Optional<Latest> newerBetween(String documentId, Latest current, RecordMetadata copy) {
    if (copy.offset() == current.offset() + 1) {
      return Optional.empty();
    }
    Latest[] newest = new Latest[1];
    TopicContents.forEachRecordBetween(
        wiring.bootstrap(),
        new TopicPartition(copy.topic(), copy.partition()),
        current.offset() + 1,
        copy.offset(),
        (ConsumerRecord<String, byte[]> record) -> {
          if (documentId.equals(record.key())) {
            newest[0] =
                new Latest(
                    record.partition(),
                    record.offset(),
                    record.timestamp(),
                    record.value(),
                    record.headers());
          }
        });
    return Optional.ofNullable(newest[0]);
  }

  private Optional<Long> chunkVersion(DeadLetter dead) {
    if (dead.getValue() == null) {
      return Optional.empty();
    }
    try {
      EmbeddedChunk chunk =
          wiring
              .topics()
              .chunks()
              .valueSerde()
              .deserializer()
              .deserialize(dead.getSourceTopic(), bytes(dead.getValue()));
      return Optional.of(chunk.getDocumentVersion());
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private KafkaProducer<String, byte[]> producer() {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            wiring.bootstrap(),
            ProducerConfig.ACKS_CONFIG,
            "all",
            ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
            true,
            ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
            8 * 1024 * 1024,
            ProducerConfig.MAX_BLOCK_MS_CONFIG,
            15_000),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  /** The bytes of {@code buffer}, null for null. */
  static byte[] bytes(ByteBuffer buffer) {
    if (buffer == null) {
      return null;
    }
    ByteBuffer copy = buffer.duplicate();
    byte[] bytes = new byte[copy.remaining()];
    copy.get(bytes);
    return bytes;
  }

  /** Decodes a document event for display, empty when the bytes are not one. */
  Optional<DocumentEvent> document(byte[] value) {
    try {
      return Optional.of(
          wiring
              .topics()
              .documents()
              .valueSerde()
              .deserializer()
              .deserialize(wiring.topics().documents().name(), value));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }
}
