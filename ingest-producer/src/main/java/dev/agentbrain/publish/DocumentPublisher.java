package dev.agentbrain.publish;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.topics.Topic;
import dev.agentbrain.topics.TopicCreator;
import dev.agentbrain.topics.Topics;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes document events to the document log. Durable and idempotent: acks from all in-sync
 * replicas, idempotence on, so a retried send is never duplicated. Thread-safe (one producer).
 *
 * <p>Sends are asynchronous and batched; {@link #flush()} waits for everything sent so far.
 */
public final class DocumentPublisher implements AutoCloseable {

  private static final Duration MANIFEST_TIMEOUT = Duration.ofSeconds(60);

  private final String bootstrap;
  private final Topic<String, DocumentEvent> topic;
  private final KafkaProducer<String, DocumentEvent> producer;

  private DocumentPublisher(
      String bootstrap,
      Topic<String, DocumentEvent> topic,
      KafkaProducer<String, DocumentEvent> producer) {
    this.bootstrap = bootstrap;
    this.topic = topic;
    this.producer = producer;
  }

  /**
   * Connects to Kafka, creates the pipeline's topics when they are missing, and returns a
   * publisher.
   *
   * @throws KafkaUnavailableException when the broker does not answer within a few seconds
   */
  public static DocumentPublisher connect(String bootstrap, Topics topics) {
    requireListening(bootstrap);
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 8000,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000))) {
      admin.describeCluster().clusterId().get(8, TimeUnit.SECONDS);
      TopicCreator.ensure(admin, topics.all());
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaUnavailableException(bootstrap, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaUnavailableException(bootstrap, e);
    }
    Topic<String, DocumentEvent> documents = topics.documents();
    Map<String, Object> config =
        Map.ofEntries(
            Map.entry(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
            Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true),
            Map.entry(ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd"),
            // batch many small documents into few requests: publishing is bound by reading files
            Map.entry(ProducerConfig.LINGER_MS_CONFIG, 20),
            Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024),
            Map.entry(ProducerConfig.BUFFER_MEMORY_CONFIG, 128L * 1024 * 1024),
            Map.entry(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, DocumentLimits.MAX_EVENT_BYTES),
            Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, 15_000),
            Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000),
            Map.entry(ProducerConfig.CLIENT_ID_CONFIG, "agent-brain-publisher"));
    KafkaProducer<String, DocumentEvent> producer =
        new KafkaProducer<>(
            config, documents.keySerde().serializer(), documents.valueSerde().serializer());
    return new DocumentPublisher(bootstrap, documents, producer);
  }

  /**
   * Fails fast when no bootstrap server accepts a TCP connection, before the Kafka clients retry
   * for seconds and log a warning per attempt.
   */
  private static void requireListening(String bootstrap) {
    IOException last = null;
    for (String server : bootstrap.split(",")) {
      String hostPort = server.trim();
      int colon = hostPort.lastIndexOf(':');
      if (colon < 0) {
        throw new IllegalArgumentException(
            "the Kafka bootstrap servers must be host:port, not '" + bootstrap + "'");
      }
      try (Socket socket = new Socket()) {
        socket.connect(
            new InetSocketAddress(
                hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))),
            3000);
        return;
      } catch (IOException | NumberFormatException e) {
        last = e instanceof IOException io ? io : new IOException(e);
      }
    }
    throw new KafkaUnavailableException(bootstrap, last);
  }

  /** Sends the event, keyed by its document id. The future completes when Kafka has it. */
  public CompletableFuture<RecordMetadata> publish(DocumentEvent event) {
    return publish(event, "", "");
  }

  /**
   * Sends the event, keyed by its document id, with the headers that the manifest is rebuilt from
   * ({@link DocumentHeaders}). {@code scope} is the absolute folder the document was published from
   * and {@code folder} that folder's name within the index (both empty when it has none); a later
   * {@code --sync} of that folder may delete it.
   */
  public CompletableFuture<RecordMetadata> publish(
      DocumentEvent event, String scope, String folder) {
    return send(
        new ProducerRecord<>(
            topic.name(),
            null,
            event.getId(),
            event,
            DocumentHeaders.of(
                new DocumentHeaders.Values(
                    event.getIndex(),
                    event.getSource(),
                    scope,
                    folder,
                    Optional.of(event.getContentHash()),
                    Optional.of(event.getVersion())))));
  }

  /** Sends a tombstone: the document and all its chunks are removed from every index. */
  public CompletableFuture<RecordMetadata> delete(String documentId) {
    return send(new ProducerRecord<>(topic.name(), documentId, null));
  }

  /** Sends a tombstone for a published document, with the headers that say what it deletes. */
  public CompletableFuture<RecordMetadata> delete(PublishedDocument document) {
    return send(
        new ProducerRecord<>(
            topic.name(),
            null,
            document.id(),
            null,
            DocumentHeaders.of(
                new DocumentHeaders.Values(
                    document.index(),
                    document.source(),
                    document.scope(),
                    document.folder(),
                    Optional.empty(),
                    Optional.empty()))));
  }

  /**
   * Reads what the documents topic holds now (every id's source and content hash), from the topic
   * itself: the manifest that change detection and {@code --sync} compare against.
   *
   * @throws KafkaUnavailableException when the topic cannot be read within a minute
   */
  public PublishedDocuments published() {
    return PublishedDocuments.read(bootstrap, topic, MANIFEST_TIMEOUT);
  }

  /** Waits until everything sent so far is acknowledged. */
  public void flush() {
    producer.flush();
  }

  /**
   * Records sent and produce requests made so far by this publisher (from the producer's metrics):
   * many records per request means publishing is not paced by per-message round trips.
   *
   * @param records records sent (events and tombstones)
   * @param requests produce requests sent to the broker
   */
  public record SendStats(long records, long requests) {}

  /** What this publisher sent so far; see {@link SendStats}. */
  public SendStats sendStats() {
    return new SendStats(metric("record-send-total"), metric("request-total"));
  }

  private long metric(String name) {
    return producer.metrics().entrySet().stream()
        .filter(e -> e.getKey().group().equals("producer-metrics"))
        .filter(e -> e.getKey().name().equals(name))
        .map(e -> ((Number) e.getValue().metricValue()).longValue())
        .findFirst()
        .orElse(0L);
  }

  /** Name of the topic this publisher writes to. */
  public String topicName() {
    return topic.name();
  }

  private CompletableFuture<RecordMetadata> send(ProducerRecord<String, DocumentEvent> record) {
    CompletableFuture<RecordMetadata> result = new CompletableFuture<>();
    producer.send(
        record,
        (metadata, error) -> {
          if (error != null) {
            result.completeExceptionally(error);
          } else {
            result.complete(metadata);
          }
        });
    return result;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(30));
  }

  /** All events of a list, sent and acknowledged; for small programs and tests. */
  public void publishAll(List<DocumentEvent> events) {
    CompletableFuture.allOf(events.stream().map(this::publish).toArray(CompletableFuture[]::new))
        .join();
  }
}
