package dev.agentbrain.indexer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.PendingChunk;
import dev.agentbrain.topics.LocalAvroSerde;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The chunks waiting for the model: when a batch is full or due, and what it takes. */
class PendingBatchTest {

  private static final BatchSettings SETTINGS = new BatchSettings(3, 100, Duration.ofMillis(300));

  private KeyValueStore<String, PendingChunk> store;
  private PendingBatch batch;

  @BeforeEach
  void openStore() {
    MockProcessorContext<Object, Object> context = new MockProcessorContext<>();
    store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore(IndexerTopology.PENDING_STORE),
                Serdes.String(),
                LocalAvroSerde.of(PendingChunk.class, PendingChunk.getClassSchema()))
            .withLoggingDisabled()
            .build();
    store.init(context.getStateStoreContext(), store);
    batch = new PendingBatch(store, Serdes.String().serializer(), SETTINGS, 0);
  }

  @Test
  @DisplayName("a batch is full at maxChunks chunks and takes no more than that")
  void fullByCount() {
    batch.replace("a", chunks("a", 1, 1), 0);
    assertThat(batch.full()).isFalse();

    batch.replace("b", chunks("b", 1, 1), 0);

    assertThat(batch.full()).isTrue();
    assertThat(batch.size()).isEqualTo(4);
    assertThat(ids(batch.next())).containsExactly("a#0", "a#1", "b#0");
  }

  @Test
  @DisplayName("a batch is full at maxTokens tokens and takes no more, but always one chunk")
  void fullByTokens() {
    batch.replace("a", chunks("a", 150, 60, 30), 0);

    assertThat(batch.full()).isTrue();
    assertThat(ids(batch.next())).containsExactly("a#0");

    batch.remove(batch.next());

    assertThat(batch.full()).isFalse();
    assertThat(ids(batch.next())).containsExactly("a#1", "a#2");
  }

  @Test
  @DisplayName("a batch is due once its oldest chunk has waited maxWait, and not once it is empty")
  void dueByAge() {
    batch.replace("a", chunks("a", 1), 1_000);
    batch.replace("b", chunks("b", 1), 1_200);

    assertThat(batch.due(1_299)).isFalse();
    assertThat(batch.due(1_300)).isTrue();

    batch.remove(batch.next());

    assertThat(batch.isEmpty()).isTrue();
    assertThat(batch.due(Long.MAX_VALUE - 1)).isFalse();
  }

  @Test
  @DisplayName("a newer version drops the older one's waiting chunks, and only that document's")
  void newerVersionDropsTheOlder() {
    batch.replace("a", chunks("a", 10, 10, 10), 0);
    batch.replace("a1", chunks("a1", 5), 0);

    batch.replace("a", chunks("a", 7), 0);

    assertThat(batch.size()).isEqualTo(2);
    assertThat(batch.next())
        .extracting(kv -> kv.value.getChunk().getChunkId(), kv -> kv.value.getTokens())
        .containsExactly(tuple("a#0", 7), tuple("a1#0", 5));

    batch.drop("a");

    assertThat(ids(batch.next())).containsExactly("a1#0");
  }

  @Test
  @DisplayName("chunks an earlier run left in the store are counted, as if they arrived at start")
  void countsWhatAnEarlierRunLeft() {
    batch.replace("a", chunks("a", 40, 40, 40), 0);

    PendingBatch reopened = new PendingBatch(store, Serdes.String().serializer(), SETTINGS, 5_000);

    assertThat(reopened.size()).isEqualTo(3);
    assertThat(reopened.full()).isTrue();
    assertThat(reopened.due(5_299)).isFalse();
    assertThat(reopened.due(5_300)).isTrue();
  }

  /** One document's chunks, with these tokens each. */
  private static List<PendingChunk> chunks(String documentId, int... tokens) {
    DocumentEvent document =
        DocumentEvent.newBuilder()
            .setId(documentId)
            .setIndex("docs")
            .setSource(documentId + ".md")
            .setContent("text")
            .build();
    List<ChunkDraft> drafts =
        Arrays.stream(tokens).mapToObj(t -> new ChunkDraft("text " + t, t, "")).toList();
    return ChunkEvents.of(document, 1, Contracts.docs(false), drafts).stream()
        .map(chunk -> new PendingChunk(chunk, drafts.get(chunk.getPosition()).tokens(), 0, 0L))
        .toList();
  }

  private static List<String> ids(List<KeyValue<String, PendingChunk>> batch) {
    return batch.stream().map(kv -> kv.value.getChunk().getChunkId()).toList();
  }
}
