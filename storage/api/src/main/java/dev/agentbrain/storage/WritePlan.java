package dev.agentbrain.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The writes of one {@link ChunkWriter#write} call regrouped into bulk steps that leave the same
 * state as applying the writes one by one. Adapters apply the steps in order.
 *
 * <p>Consecutive deletes become one {@link DeleteDocuments}; consecutive upserts become one {@link
 * ReplaceChunks}, split where a document comes back with another version (the later version must
 * remove the earlier one's chunks). Inside a step a chunk id written twice keeps its last record.
 *
 * <p>A step may hold only part of a version's chunks (a large document spans several calls): the
 * adapters keep such a version out of readers' sight until its last chunk is written ({@link
 * ReplaceChunks#completes}).
 */
public final class WritePlan {

  private WritePlan() {}

  /** One bulk step. */
  public sealed interface Step {}

  /**
   * Removes every chunk of each document older than its version here, and keeps that version as the
   * document's (a deleted document's), see {@link ChunkWrite.DeleteDocument}.
   */
  public record DeleteDocuments(Map<String, Long> versions) implements Step {
    public DeleteDocuments {
      versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
    }

    public List<String> documentIds() {
      return List.copyOf(versions.keySet());
    }
  }

  /**
   * Upserts {@code chunks} (each of which belongs to one of the documents of {@code versions}, at
   * that version); for every document whose version these chunks complete, or whose stored chunks
   * already complete it with them, removes the chunks of its other versions.
   *
   * @param chunkCounts how many chunks each document's version has; 0 when not known
   */
  public record ReplaceChunks(
      Map<String, Long> versions, Map<String, Integer> chunkCounts, List<ChunkRecord> chunks)
      implements Step {
    public ReplaceChunks {
      versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
      chunkCounts = Collections.unmodifiableMap(new LinkedHashMap<>(chunkCounts));
      chunks = List.copyOf(chunks);
    }

    /**
     * True when this step holds every chunk of the document's version (or its count is not known),
     * so the version is whole without reading what the backend holds.
     */
    public boolean completes(String documentId) {
      int count = chunkCounts.getOrDefault(documentId, 0);
      return count == 0
          || chunks.stream().filter(c -> c.documentId().equals(documentId)).count() == count;
    }

    /**
     * This step without the given documents: adapters drop the documents of which they hold a newer
     * version, so a late write of an older version never replaces it.
     */
    public ReplaceChunks without(Set<String> documentIds) {
      if (documentIds.isEmpty()) {
        return this;
      }
      Map<String, Long> kept = new LinkedHashMap<>(versions);
      kept.keySet().removeAll(documentIds);
      Map<String, Integer> counts = new LinkedHashMap<>(chunkCounts);
      counts.keySet().removeAll(documentIds);
      return new ReplaceChunks(
          kept,
          counts,
          chunks.stream().filter(c -> !documentIds.contains(c.documentId())).toList());
    }
  }

  /** Groups the writes into steps, in order. */
  public static List<Step> of(List<ChunkWrite> writes) {
    List<Step> steps = new ArrayList<>();
    Map<String, Long> deletes = new LinkedHashMap<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    Map<String, ChunkRecord> chunks = new LinkedHashMap<>();
    for (ChunkWrite write : writes) {
      switch (write) {
        case ChunkWrite.DeleteDocument(String documentId, long version) -> {
          flushUpserts(steps, versions, counts, chunks);
          deletes.merge(documentId, version, Math::max);
        }
        case ChunkWrite.Upsert(ChunkRecord chunk, int chunkCount) -> {
          flushDeletes(steps, deletes);
          Long known = versions.get(chunk.documentId());
          if (known != null && known != chunk.documentVersion()) {
            flushUpserts(steps, versions, counts, chunks);
          }
          versions.put(chunk.documentId(), chunk.documentVersion());
          counts.merge(chunk.documentId(), chunkCount, Math::max);
          chunks.put(chunk.chunkId(), chunk);
        }
      }
    }
    flushDeletes(steps, deletes);
    flushUpserts(steps, versions, counts, chunks);
    return List.copyOf(steps);
  }

  private static void flushDeletes(List<Step> steps, Map<String, Long> deletes) {
    if (!deletes.isEmpty()) {
      steps.add(new DeleteDocuments(deletes));
      deletes.clear();
    }
  }

  private static void flushUpserts(
      List<Step> steps,
      Map<String, Long> versions,
      Map<String, Integer> counts,
      Map<String, ChunkRecord> chunks) {
    if (!versions.isEmpty()) {
      steps.add(new ReplaceChunks(versions, counts, List.copyOf(chunks.values())));
      versions.clear();
      counts.clear();
      chunks.clear();
    }
  }
}
