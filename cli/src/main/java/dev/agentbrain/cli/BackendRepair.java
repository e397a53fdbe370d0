package dev.agentbrain.cli;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.DocumentOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.ChunkEvents;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.indexer.TokenSplitter;
import dev.agentbrain.indexer.contract.ContractCheck;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.DocumentVersions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Re-writes chosen documents of one index into one backend from the log, without going through the
 * chunks topic (which every sink reads), so the other backend is not touched.
 *
 * <p>"From the log" means the documents topic, which is compacted and so holds the latest record of
 * every document for good, and the embeddings topic, the indexers' shared cache of every vector
 * they made (also compacted). The chunks topic is not used: it keeps seven days, so it no longer
 * holds a document that has not changed for a week. Each document is cut by the indexer's own
 * splitter into the indexer's own chunk events ({@link ChunkEvents}); its vectors are the very ones
 * the indexer made, from the embeddings topic, and only a text missing there is embedded again (the
 * bundled models embed each text alone, so the vector is the same). The writes are the sinks' own
 * ({@link ChunkWrites}), so a backend that keeps the newest version of a document never takes an
 * older one from a repair that raced a live write.
 */
final class BackendRepair {

  /**
   * What a repair did.
   *
   * @param rewritten documents written again from the log, sorted
   * @param removed documents the log no longer holds, removed from the backend, sorted
   * @param reEmbedded texts that were not in the embeddings topic and were embedded again
   */
  record Result(Set<String> rewritten, Set<String> removed, int reEmbedded) {}

  /** Writes per call to the backend: batches the size the sinks write. */
  private static final int WRITES_PER_CALL = 1_000;

  private final Wiring wiring;

  BackendRepair(Wiring wiring) {
    this.wiring = wiring;
  }

  /**
   * Makes the documents {@code documentIds} of the index {@code contract} describes in {@code
   * target} what the log says they are: written again when the log holds them, removed when it does
   * not.
   */
  Result repair(EmbeddingContract contract, Set<String> documentIds, ChunkWriter target) {
    // the latest record of each document, whose offset is the version its chunks carry
    Map<String, ConsumerRecord<String, DocumentEvent>> latest = new HashMap<>();
    TopicContents.forEachRecord(
        wiring.bootstrap(),
        wiring.topics().documents().name(),
        wiring.topics().documents().keySerde().deserializer(),
        wiring.topics().documents().valueSerde().deserializer(),
        TopicContents.ALL,
        record -> {
          if (documentIds.contains(record.key())) {
            latest.put(record.key(), record);
          }
        });
    List<EmbeddedChunk> chunks = new ArrayList<>();
    Set<String> rewritten = new TreeSet<>();
    Set<String> removed = new TreeSet<>();
    int reEmbedded;
    try (ModelPool models = new ModelPool(Runtime.getRuntime().availableProcessors())) {
      TokenSplitter splitter = new TokenSplitter(models);
      for (String id : documentIds) {
        ConsumerRecord<String, DocumentEvent> record = latest.get(id);
        DocumentEvent event = record == null ? null : record.value();
        if (event == null
            || event.getOperation() == DocumentOperation.DELETE
            || !event.getIndex().equals(contract.getIndex())) {
          removed.add(id);
        } else {
          chunks.addAll(
              ChunkEvents.of(
                  event,
                  DocumentVersions.fromLog(record.offset()),
                  contract,
                  splitter.split(event, contract)));
          rewritten.add(id);
        }
      }
      reEmbedded = embed(contract, chunks, models);
    }
    List<ChunkWrite> writes = new ArrayList<>();
    // a delete at the version of the document's latest record (its tombstone); a document the log
    // no longer holds at all (compacted away) is deleted at the first log version only
    removed.forEach(
        id ->
            writes.add(
                new ChunkWrite.DeleteDocument(
                    id,
                    latest.containsKey(id)
                        ? DocumentVersions.fromLog(latest.get(id).offset())
                        : DocumentVersions.FROM_LOG)));
    chunks.forEach(chunk -> writes.add(ChunkWrites.of(chunk)));
    String physical = ContractRegistry.physicalName(contract.getIndex(), contract.getVersion());
    for (int from = 0; from < writes.size(); from += WRITES_PER_CALL) {
      target.write(physical, writes.subList(from, Math.min(writes.size(), from + WRITES_PER_CALL)));
    }
    return new Result(rewritten, removed, reEmbedded);
  }

  /** Gives every chunk its vector; returns how many had to be embedded again. */
  private int embed(EmbeddingContract contract, List<EmbeddedChunk> chunks, ModelPool models) {
    Set<String> wanted = new HashSet<>();
    chunks.forEach(c -> wanted.add(ChunkEvents.cacheKey(contract, c)));
    Map<String, float[]> cached = new HashMap<>();
    TopicContents.forEach(
        wiring.bootstrap(),
        wiring.topics().embeddings(),
        TopicContents.ALL,
        (key, bytes) -> {
          if (bytes != null && wanted.contains(key)) {
            cached.put(key, ChunkEvents.fromBytes(bytes));
          }
        });
    List<EmbeddedChunk> misses = new ArrayList<>();
    List<float[]> vectors = new ArrayList<>(chunks.size());
    for (EmbeddedChunk chunk : chunks) {
      float[] vector = cached.get(ChunkEvents.cacheKey(contract, chunk));
      if (vector == null) {
        misses.add(chunk);
      }
      vectors.add(vector);
    }
    if (!misses.isEmpty()) {
      EmbeddingModel model = models.forContract(contract);
      List<float[]> fresh =
          model.embedPassages(
              misses.stream().map(c -> ChunkEvents.textToEmbed(contract, c, model)).toList());
      for (int i = 0, m = 0; i < chunks.size(); i++) {
        if (vectors.get(i) == null) {
          vectors.set(i, fresh.get(m++));
        }
      }
    }
    ContractCheck.verify(contract, contract.getModel(), vectors);
    for (int i = 0; i < chunks.size(); i++) {
      chunks.get(i).setEmbedding(ChunkEvents.toList(vectors.get(i)));
    }
    return misses.size();
  }
}
