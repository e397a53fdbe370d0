package dev.agentbrain.query;

import dev.agentbrain.deadletter.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code dead_letters} section of {@code /health/status}: how many dead letters the topic
 * holds, by stage. Counted in the background by a consumer of its own that keeps its position
 * between refreshes, so each refresh reads only the letters sent since the last one (the topic is
 * read once from the start, then never again); offsets alone would count transaction markers.
 * Thread-safe.
 */
public final class DeadLetterCount implements StatusSection, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(DeadLetterCount.class);
  private static final Duration POLL = Duration.ofMillis(200);

  /** A refresh reads for this long at most; the next one goes on from there. */
  private static final Duration READ_AT_MOST = Duration.ofSeconds(10);

  private static final String STAGE = DeadLetters.HEADER_PREFIX + "stage";

  private final String topic;
  private final KafkaConsumer<byte[], byte[]> consumer;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("dead-letter-count").factory());
  private final Map<String, Long> byStage = new TreeMap<>();
  private volatile String problem = "not read yet";

  /** Counts the letters of {@code topic} every {@code period}, starting now. */
  public DeadLetterCount(String bootstrap, String topic, Duration period) {
    this.topic = topic;
    this.consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG,
                "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000,
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    refresher.scheduleWithFixedDelay(this::refresh, 0, period.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public String name() {
    return "dead_letters";
  }

  @Override
  public Object status() {
    Map<String, Object> body = new LinkedHashMap<>();
    synchronized (byStage) {
      body.put("total", byStage.values().stream().mapToLong(Long::longValue).sum());
      body.put("by_stage", new TreeMap<>(byStage));
    }
    if (problem != null) {
      body.put("problem", problem);
    }
    return body;
  }

  /** Reads what was sent since the last refresh; on the refresher thread only. */
  private void refresh() {
    try {
      assignNewPartitions();
      Set<TopicPartition> partitions = consumer.assignment();
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      long deadline = System.nanoTime() + READ_AT_MOST.toNanos();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))
          && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
          Header stage = record.headers().lastHeader(STAGE);
          String name =
              stage == null ? "unknown" : new String(stage.value(), StandardCharsets.UTF_8);
          synchronized (byStage) {
            byStage.merge(name, 1L, Long::sum);
          }
        }
      }
      problem = null;
    } catch (RuntimeException e) {
      LOG.debug("could not count dead letters: {}", e.getMessage());
      problem = "Kafka did not answer for the dead-letter topic " + topic;
    }
  }

  /** Partitions of the topic not read yet (all of them at first), from their beginning. */
  private void assignNewPartitions() {
    List<PartitionInfo> infos = consumer.partitionsFor(topic);
    Set<TopicPartition> assigned = new HashSet<>(consumer.assignment());
    List<TopicPartition> added = new ArrayList<>();
    for (PartitionInfo info : infos == null ? List.<PartitionInfo>of() : infos) {
      TopicPartition partition = new TopicPartition(topic, info.partition());
      if (assigned.add(partition)) {
        added.add(partition);
      }
    }
    if (!added.isEmpty()) {
      consumer.assign(assigned);
      consumer.seekToBeginning(added);
    }
  }

  @Override
  public void close() {
    // the consumer is closed on the thread that uses it; shutdown cancels the refreshes
    refresher.execute(consumer::close);
    refresher.shutdown();
    try {
      if (!refresher.awaitTermination(15, TimeUnit.SECONDS)) {
        refresher.shutdownNow();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
