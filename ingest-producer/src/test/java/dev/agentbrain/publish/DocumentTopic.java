package dev.agentbrain.publish;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.testing.LocalServices;
import dev.agentbrain.topics.EventSerdes;
import dev.agentbrain.topics.Topics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BiConsumer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A documents topic of its own for one integration test (unique prefix), on the real broker and
 * registry, with a way to read back every record it holds; deleted on close.
 */
final class DocumentTopic implements AutoCloseable {

  /** One record on the topic: key, and whether it is a tombstone. */
  record Entry(String key, boolean tombstone) {}

  final String bootstrap;
  final URI registry;
  final Topics topics;

  DocumentTopic() {
    this.bootstrap = LocalServices.requireKafka();
    this.registry = LocalServices.requireRegistry();
    this.topics =
        new Topics(
            "it-publish-" + UUID.randomUUID().toString().substring(0, 8),
            3,
            new EventSerdes(registry));
  }

  String name() {
    return topics.documents().name();
  }

  DocumentPublisher connect() {
    return DocumentPublisher.connect(bootstrap, topics);
  }

  /** Every record on the topic, in no particular order across partitions. */
  List<Entry> records() {
    List<Entry> entries = new ArrayList<>();
    readAll(
        new ByteArrayDeserializer(), (key, value) -> entries.add(new Entry(key, value == null)));
    return entries;
  }

  /** Every event (no tombstones), deserialized through the registry. */
  List<DocumentEvent> events() {
    List<DocumentEvent> events = new ArrayList<>();
    readAll(
        topics.documents().valueSerde().deserializer(),
        (key, value) -> {
          if (value != null) {
            events.add(value);
          }
        });
    return events;
  }

  private <V> void readAll(Deserializer<V> values, BiConsumer<String, V> each) {
    try (KafkaConsumer<String, V> consumer =
        new KafkaConsumer<>(
            Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringDeserializer(),
            values)) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
      while (end.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
        for (ConsumerRecord<String, V> r : consumer.poll(Duration.ofMillis(200))) {
          each.accept(r.key(), r.value());
        }
      }
    }
  }

  /** A copy of a folder, for tests that change files. */
  static void copy(Path from, Path to) {
    try (var files = Files.walk(from)) {
      for (Path file : (Iterable<Path>) files::iterator) {
        Path target = to.resolve(from.relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.deleteTopics(topics.all().stream().map(t -> t.name()).toList()).all().get();
    } catch (Exception e) {
      // the topics may not have been created if the test failed early; nothing to clean up then
    }
  }
}
