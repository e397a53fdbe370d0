package dev.agentbrain.sink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeywordIndexFeedTest {

  private static final String TOPIC = "t.chunks";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final String PHYSICAL = ContractRegistry.physicalName("docs", 1);

  @TempDir Path root;

  private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest");
  private final List<EmbeddedChunk> log = new ArrayList<>();
  private final AtomicInteger published = new AtomicInteger();
  private final AtomicReference<Map<TopicPartition, Long>> sinkCommitted =
      new AtomicReference<>(Map.of());
  private final List<ChunkRecord> inChroma = new ArrayList<>();
  private KeywordIndexes keywords;
  private KeywordIndexFeed feed;
  private Thread thread;

  @AfterEach
  void stop() throws InterruptedException {
    if (feed != null) {
      feed.stop();
      thread.join(5_000);
    }
    if (keywords != null) {
      keywords.close();
    }
  }

  @Test
  @DisplayName(
      "the feed applies only what the Chroma sink has committed, and follows as it commits")
  void neverAheadOfTheChromaSink() {
    for (int i = 0; i < 5; i++) {
      log.add(upsert("d" + i, "kafka log " + i));
    }
    published.set(5);
    // the sink has written and committed offsets 0-2; 3 and 4 are in the topic, not yet in Chroma
    inChroma.addAll(
        List.of(
            chunk("d0", "kafka log 0"), chunk("d1", "kafka log 1"), chunk("d2", "kafka log 2")));
    sinkCommitted.set(Map.of(P0, 3L));

    start();

    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> keywords.complete(PHYSICAL) && keywords.readiness().behind() == 0);
    assertThat(ids("kafka")).containsExactly("d0#1#0", "d1#1#0", "d2#1#0");

    log.add(delete("d0"));
    published.set(6);
    sinkCommitted.set(Map.of(P0, 6L));

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(ids("kafka")).containsExactly("d1#1#0", "d2#1#0", "d3#1#0", "d4#1#0"));
    await().atMost(Duration.ofSeconds(10)).until(() -> keywords.readiness().behind() == 0);
  }

  @Test
  @DisplayName(
      "a first build reads Chroma itself (records gone from the topic included), then tails from the sink's offsets taken before it")
  void firstBuildComesFromChroma() {
    // d0's record has aged out of the topic; d1 is at offset 0, committed by the sink
    inChroma.addAll(List.of(chunk("d0", "kafka from chroma"), chunk("d1", "kafka from chroma")));
    log.add(upsert("d1", "kafka from chroma"));
    log.add(upsert("d2", "kafka after the build"));
    published.set(2);
    sinkCommitted.set(Map.of(P0, 1L));

    start();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(() -> assertThat(ids("kafka")).containsExactly("d0#1#0", "d1#1#0"));
    sinkCommitted.set(Map.of(P0, 2L));
    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> assertThat(ids("kafka")).containsExactly("d0#1#0", "d1#1#0", "d2#1#0"));
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> keywords.offsets(PHYSICAL).getOrDefault(0, 0L) == 2L);
  }

  @Test
  @DisplayName(
      "a feed started before the chunks topic exists is not ready and says why, then reads the topic once it appears")
  void waitsForTheTopic() {
    log.add(upsert("d0", "kafka log 0"));
    published.set(1);
    inChroma.add(chunk("d0", "kafka log 0"));
    sinkCommitted.set(Map.of(P0, 1L));

    startFeed();

    await()
        .atMost(Duration.ofSeconds(10))
        .untilAsserted(
            () -> {
              assertThat(keywords.readiness().ready()).isFalse();
              assertThat(keywords.readiness().detail()).contains(TOPIC, "does not exist yet");
            });
    addPartition();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> keywords.complete(PHYSICAL) && keywords.readiness().ready());
    assertThat(ids("kafka")).containsExactly("d0#1#0");
  }

  private void start() {
    addPartition();
    startFeed();
  }

  private void addPartition() {
    consumer.updatePartitions(TOPIC, List.of(new PartitionInfo(TOPIC, 0, null, null, null)));
    consumer.updateBeginningOffsets(Map.of(P0, 0L));
  }

  private void startFeed() {
    consumer.schedulePollTask(this::refill);
    keywords = new KeywordIndexes(root, Bm25.STANDARD);
    feed =
        new KeywordIndexFeed(
            consumer,
            (topic, bytes) -> log.get(bytes[0]),
            TOPIC,
            sinkCommitted::get,
            new FakeChroma(),
            name -> new IndexSpec(name, 3, "model", "english"),
            () -> List.of(PHYSICAL),
            keywords);
    thread =
        Thread.ofPlatform()
            .daemon()
            .uncaughtExceptionHandler((t, e) -> e.printStackTrace())
            .start(feed);
  }

  /**
   * Puts the published records from the consumer's position back before each poll: a mock consumer
   * forgets what it handed out, while a broker keeps it for a consumer that seeks back.
   */
  private void refill() {
    try {
      Thread.sleep(20); // a poll waits on a broker; here it would spin
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (consumer.assignment().contains(P0)) {
      for (long offset = consumer.position(P0); offset < published.get(); offset++) {
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, offset, "k", new byte[] {(byte) offset}));
      }
    }
    consumer.schedulePollTask(this::refill);
  }

  private List<String> ids(String text) {
    try {
      return keywords.search(PHYSICAL, new KeywordQuery(text, 10, Filter.ALL)).stream()
          .map(SearchHit::chunk)
          .map(ChunkRecord::chunkId)
          .sorted()
          .toList();
    } catch (RuntimeException e) {
      return List.of(); // not built yet
    }
  }

  private static EmbeddedChunk upsert(String document, String text) {
    return event(document, text, ChunkOperation.UPSERT);
  }

  private static EmbeddedChunk delete(String document) {
    return event(document, "", ChunkOperation.DELETE_DOCUMENT);
  }

  private static EmbeddedChunk event(String document, String text, ChunkOperation operation) {
    return EmbeddedChunk.newBuilder()
        .setIndex("docs")
        .setIndexVersion(1)
        .setOperation(operation)
        .setDocumentId(document)
        // a delete is a later record of the log than the upsert it removes
        .setDocumentVersion(operation == ChunkOperation.DELETE_DOCUMENT ? 2 : 1)
        .setChunkId(document + "#1#0")
        .setText(text)
        .setSource(document + ".md")
        .setEmbedding(List.of(1f, 0f, 0f))
        .build();
  }

  private static ChunkRecord chunk(String document, String text) {
    return ChunkRecord.builder()
        .chunkId(document + "#1#0")
        .documentId(document)
        .documentVersion(1)
        .position(0)
        .text(text)
        .source(document + ".md")
        .embedding(new float[] {1, 0, 0})
        .build();
  }

  /** Chroma as a first build sees it: one page of every document. */
  private final class FakeChroma implements ChunkScan {
    @Override
    public DocumentPage documents(String physicalName, String cursor, int limit) {
      return new DocumentPage(
          inChroma.stream().map(ChunkRecord::documentId).distinct().toList(),
          java.util.Optional.empty());
    }

    @Override
    public List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
      return inChroma.stream().filter(c -> documentIds.contains(c.documentId())).toList();
    }
  }
}
