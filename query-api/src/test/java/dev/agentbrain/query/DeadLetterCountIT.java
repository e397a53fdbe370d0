package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentbrain.deadletter.DeadLetters;
import dev.agentbrain.testing.LocalServices;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * {@link DeadLetterCount} on the real broker: letters sent in transactions (as the indexer sends
 * them) are counted by stage, the transaction markers and an aborted transaction's letters are not,
 * and letters sent later are added.
 */
class DeadLetterCountIT {

  private static final Duration WAIT = Duration.ofSeconds(60);

  @Test
  void countsCommittedLettersByStageAndNotTheMarkers() throws Exception {
    String bootstrap = LocalServices.requireKafka();
    String topic = "dead-letter-count-it-" + UUID.randomUUID();
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get();
      try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap);
          DeadLetterCount count = new DeadLetterCount(bootstrap, topic, Duration.ofMillis(200))) {
        producer.initTransactions();
        send(producer, topic, "embed", "embed", "sink-chroma");
        producer.commitTransaction();
        send(producer, topic, "embed", "embed");
        producer.abortTransaction();

        await().atMost(WAIT).until(() -> total(count) == 3);
        assertThat(status(count).path("by_stage").path("embed").asLong()).isEqualTo(2);
        assertThat(status(count).path("by_stage").path("sink-chroma").asLong()).isEqualTo(1);

        send(producer, topic, "sink-postgres");
        producer.commitTransaction();
        await().atMost(WAIT).until(() -> total(count) == 4);
        assertThat(status(count).has("problem")).isFalse();
      } finally {
        admin.deleteTopics(List.of(topic)).all().get();
      }
    }
  }

  private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.TRANSACTIONAL_ID_CONFIG,
            "dead-letter-count-it-" + UUID.randomUUID()),
        new ByteArraySerializer(),
        new ByteArraySerializer());
  }

  /** One letter per stage named, in a transaction left open. */
  private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String... stages) {
    producer.beginTransaction();
    int partition = 0;
    for (String stage : stages) {
      ProducerRecord<byte[], byte[]> letter =
          new ProducerRecord<>(topic, partition++ % 2, null, new byte[] {1});
      letter
          .headers()
          .add(DeadLetters.HEADER_PREFIX + "stage", stage.getBytes(StandardCharsets.UTF_8));
      producer.send(letter);
    }
  }

  private static JsonNode status(DeadLetterCount count) {
    return QueryApi.JSON.valueToTree(count.status());
  }

  private static long total(DeadLetterCount count) {
    return status(count).path("total").asLong();
  }
}
