package dev.agentbrain.publish;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.hashing.ContentHash;
import dev.agentbrain.topics.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * The manifest of published documents: the latest state of every document id, read from the
 * compacted documents topic itself, so it survives restarts and cannot drift from what the topic
 * holds. A tombstone removes its id.
 *
 * <p>Reading takes the record headers ({@link DocumentHeaders}) and never deserializes content;
 * only records written without those headers (by other producers) are deserialized. The snapshot is
 * taken up to the end offsets at the time of reading and is not updated afterwards.
 */
public final class PublishedDocuments {

  private final Map<String, PublishedDocument> byId;

  private PublishedDocuments(Map<String, PublishedDocument> byId) {
    this.byId = byId;
  }

  /** An empty manifest: nothing published yet. */
  public static PublishedDocuments none() {
    return new PublishedDocuments(new HashMap<>());
  }

  /**
   * Reads the whole documents topic up to its current end offsets.
   *
   * @throws KafkaUnavailableException when the topic cannot be read within {@code timeout}
   */
  static PublishedDocuments read(
      String bootstrap, Topic<String, DocumentEvent> topic, Duration timeout) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.CLIENT_ID_CONFIG,
            "agent-brain-manifest-" + UUID.randomUUID(),
            ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
            false,
            ConsumerConfig.MAX_POLL_RECORDS_CONFIG,
            5000,
            ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) timeout.toMillis());
    Map<String, PublishedDocument> byId = new HashMap<>();
    long deadline = System.nanoTime() + timeout.toNanos();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (!caughtUp(consumer, end)) {
        if (System.nanoTime() > deadline) {
          throw new TimeoutException("the documents topic was not read to its end in " + timeout);
        }
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
          apply(byId, topic, record);
        }
      }
    } catch (TimeoutException e) {
      throw new KafkaUnavailableException(bootstrap, e);
    }
    return new PublishedDocuments(byId);
  }

  private static boolean caughtUp(
      KafkaConsumer<String, byte[]> consumer, Map<TopicPartition, Long> end) {
    return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
  }

  private static void apply(
      Map<String, PublishedDocument> byId,
      Topic<String, DocumentEvent> topic,
      ConsumerRecord<String, byte[]> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      byId.remove(record.key());
      return;
    }
    Headers headers = record.headers();
    Optional<String> hash = DocumentHeaders.value(headers, DocumentHeaders.CONTENT_HASH);
    Optional<String> index = DocumentHeaders.value(headers, DocumentHeaders.INDEX);
    Optional<String> source = DocumentHeaders.value(headers, DocumentHeaders.SOURCE);
    if (hash.isPresent() && index.isPresent() && source.isPresent()) {
      byId.put(
          record.key(),
          new PublishedDocument(
              record.key(),
              index.get(),
              source.get(),
              DocumentHeaders.value(headers, DocumentHeaders.SCOPE).orElse(""),
              DocumentHeaders.value(headers, DocumentHeaders.FOLDER).orElse(""),
              hash.get(),
              DocumentHeaders.value(headers, DocumentHeaders.VERSION)
                  .map(Long::parseLong)
                  .orElse(0L),
              record.offset()));
      return;
    }
    // written by a producer that does not set our headers: read the event itself
    DocumentEvent event =
        topic.valueSerde().deserializer().deserialize(record.topic(), headers, record.value());
    byId.put(
        record.key(),
        new PublishedDocument(
            record.key(),
            event.getIndex(),
            event.getSource(),
            "",
            "",
            event.getContentHash().isEmpty()
                ? ContentHash.sha256(event.getContent())
                : event.getContentHash(),
            event.getVersion(),
            record.offset()));
  }

  /** What the topic holds for {@code id}, or empty when it holds nothing (or a tombstone). */
  public Optional<PublishedDocument> get(String id) {
    return Optional.ofNullable(byId.get(id));
  }

  /** Every document of the folder named {@code folder} in {@code index}, by source. */
  public List<PublishedDocument> inFolder(String index, String folder) {
    return select(d -> d.index().equals(index) && d.folder().equals(folder));
  }

  /**
   * Every document of {@code index} published from the absolute folder {@code scope} before folders
   * had names (see {@link PublishedDocument#beforeFolderNames()}), by source.
   */
  public List<PublishedDocument> beforeFolderNames(String index, String scope) {
    return select(d -> d.index().equals(index) && d.beforeFolderNames() && d.scope().equals(scope));
  }

  /**
   * Every folder the topic holds documents of, by index and name: named folders, and the folders
   * published before folders had names (with an empty name). Documents of no folder are left out.
   */
  public List<PublishedFolder> folders() {
    Map<PublishedFolder.Key, List<PublishedDocument>> byFolder = new HashMap<>();
    for (PublishedDocument d : byId.values()) {
      if (!d.folder().isEmpty() || d.beforeFolderNames()) {
        byFolder
            .computeIfAbsent(
                new PublishedFolder.Key(
                    d.index(), d.folder(), d.folder().isEmpty() ? d.scope() : ""),
                k -> new ArrayList<>())
            .add(d);
      }
    }
    return byFolder.values().stream()
        .map(PublishedFolder::of)
        .sorted(
            Comparator.comparing(PublishedFolder::index)
                .thenComparing(PublishedFolder::name)
                .thenComparing(PublishedFolder::path))
        .toList();
  }

  /**
   * The folder of {@code index} that {@code folder} names: its name, or its absolute path (the only
   * way to name a folder published before folders had names).
   */
  public Optional<PublishedFolder> folder(String index, String folder) {
    return folders().stream().filter(f -> f.index().equals(index) && f.isNamed(folder)).findFirst();
  }

  /** Every document of a folder, by source. */
  public List<PublishedDocument> documentsOf(PublishedFolder folder) {
    return folder.name().isEmpty()
        ? beforeFolderNames(folder.index(), folder.path())
        : inFolder(folder.index(), folder.name());
  }

  private List<PublishedDocument> select(Predicate<PublishedDocument> which) {
    return byId.values().stream()
        .filter(which)
        .sorted(Comparator.comparing(PublishedDocument::source))
        .toList();
  }

  /** Records what was just sent, so that a long-running publisher (watch mode) stays current. */
  void published(PublishedDocument document) {
    byId.put(document.id(), document);
  }

  /** Records that a tombstone was just sent. */
  void deleted(String id) {
    byId.remove(id);
  }

  /** How many documents the topic holds (all indexes). */
  public int size() {
    return byId.size();
  }
}
