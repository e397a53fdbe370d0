package dev.agentbrain.indexer;

import dev.agentbrain.events.PendingChunk;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The chunks waiting to be embedded: the {@code pending} store (changelogged, so a crash loses
 * nothing) and what it holds in numbers, chunks, tokens and the age of the oldest, which decide
 * when a batch goes out ({@link BatchSettings}). Every change to the store goes through {@link
 * #count} and {@link #uncount}, so the numbers always match the store.
 *
 * <p>Keys are {@code <document id>\0<position>}, so one document's chunks are found by prefix and a
 * batch takes them in document order.
 */
final class PendingBatch {

  private static final char KEY_SEPARATOR = '\u0000';

  private final KeyValueStore<String, PendingChunk> store;
  private final Serializer<String> keySerializer;
  private final BatchSettings settings;
  private int chunks;
  private long tokens;
  private long oldestMillis = Long.MAX_VALUE;

  /**
   * Counts what the store already holds (left by an earlier run) as if it arrived {@code
   * nowMillis}.
   */
  PendingBatch(
      KeyValueStore<String, PendingChunk> store,
      Serializer<String> keySerializer,
      BatchSettings settings,
      long nowMillis) {
    this.store = store;
    this.keySerializer = keySerializer;
    this.settings = settings;
    try (KeyValueIterator<String, PendingChunk> all = store.all()) {
      all.forEachRemaining(kv -> count(kv.value, nowMillis));
    }
  }

  /** Puts a document version's chunks in place of any older version's still waiting. */
  void replace(String documentId, List<PendingChunk> versionChunks, long nowMillis) {
    drop(documentId);
    for (int position = 0; position < versionChunks.size(); position++) {
      PendingChunk chunk = versionChunks.get(position);
      store.put(key(documentId, position), chunk);
      count(chunk, nowMillis);
    }
  }

  /** Removes every waiting chunk of the document. */
  void drop(String documentId) {
    List<KeyValue<String, PendingChunk>> stale = new ArrayList<>();
    try (KeyValueIterator<String, PendingChunk> it =
        store.prefixScan(documentId + KEY_SEPARATOR, keySerializer)) {
      it.forEachRemaining(stale::add);
    }
    remove(stale);
  }

  /**
   * The next batch, in key order: at most {@code maxChunks} chunks and {@code maxTokens} tokens,
   * but at least one chunk however many tokens it has. The chunks stay waiting until {@link
   * #remove}d.
   */
  List<KeyValue<String, PendingChunk>> next() {
    List<KeyValue<String, PendingChunk>> batch = new ArrayList<>();
    long batchTokens = 0;
    try (KeyValueIterator<String, PendingChunk> it = store.all()) {
      while (it.hasNext() && batch.size() < settings.maxChunks()) {
        KeyValue<String, PendingChunk> next = it.next();
        if (!batch.isEmpty() && batchTokens + next.value.getTokens() > settings.maxTokens()) {
          break;
        }
        batch.add(next);
        batchTokens += next.value.getTokens();
      }
    }
    return batch;
  }

  /** Removes chunks that went out (embedded or dead-lettered). */
  void remove(List<KeyValue<String, PendingChunk>> done) {
    for (KeyValue<String, PendingChunk> kv : done) {
      store.delete(kv.key);
      uncount(kv.value);
    }
  }

  /** Whether a full batch waits: {@code maxChunks} chunks or {@code maxTokens} tokens. */
  boolean full() {
    return chunks >= settings.maxChunks() || tokens >= settings.maxTokens();
  }

  /** Whether the oldest waiting chunk has waited {@code maxWait} at {@code nowMillis}. */
  boolean due(long nowMillis) {
    return nowMillis - oldestMillis >= settings.maxWait().toMillis();
  }

  boolean isEmpty() {
    return chunks == 0;
  }

  /** Chunks waiting. */
  int size() {
    return chunks;
  }

  private void count(PendingChunk chunk, long nowMillis) {
    chunks++;
    tokens += chunk.getTokens();
    oldestMillis = Math.min(oldestMillis, nowMillis);
  }

  private void uncount(PendingChunk chunk) {
    chunks--;
    tokens -= chunk.getTokens();
    if (chunks == 0) {
      oldestMillis = Long.MAX_VALUE;
    }
  }

  private static String key(String documentId, int position) {
    return documentId + KEY_SEPARATOR + String.format("%08d", position);
  }
}
