package dev.agentbrain.storage;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
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
 */
public final class WritePlan {

  private WritePlan() {}

  /** One bulk step. */
  public sealed interface Step {}

  /** Removes every chunk of these documents. */
  public record DeleteDocuments(List<String> documentIds) implements Step {
    public DeleteDocuments {
      documentIds = List.copyOf(documentIds);
    }
  }

  /**
   * Removes every chunk of each document whose version differs from {@code versions}, then upserts
   * {@code chunks} (each of which belongs to one of those documents, at that version).
   */
  public record ReplaceChunks(Map<String, Long> versions, List<ChunkRecord> chunks)
      implements Step {
    public ReplaceChunks {
      versions = Collections.unmodifiableMap(new LinkedHashMap<>(versions));
      chunks = List.copyOf(chunks);
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
      return new ReplaceChunks(
          kept, chunks.stream().filter(c -> !documentIds.contains(c.documentId())).toList());
    }
  }

  /** Groups the writes into steps, in order. */
  public static List<Step> of(List<ChunkWrite> writes) {
    List<Step> steps = new ArrayList<>();
    LinkedHashSet<String> deletes = new LinkedHashSet<>();
    Map<String, Long> versions = new LinkedHashMap<>();
    Map<String, ChunkRecord> chunks = new LinkedHashMap<>();
    for (ChunkWrite write : writes) {
      switch (write) {
        case ChunkWrite.DeleteDocument delete -> {
          flushUpserts(steps, versions, chunks);
          deletes.add(delete.documentId());
        }
        case ChunkWrite.Upsert(ChunkRecord chunk) -> {
          flushDeletes(steps, deletes);
          Long known = versions.get(chunk.documentId());
          if (known != null && known != chunk.documentVersion()) {
            flushUpserts(steps, versions, chunks);
          }
          versions.put(chunk.documentId(), chunk.documentVersion());
          chunks.put(chunk.chunkId(), chunk);
        }
      }
    }
    flushDeletes(steps, deletes);
    flushUpserts(steps, versions, chunks);
    return List.copyOf(steps);
  }

  private static void flushDeletes(List<Step> steps, LinkedHashSet<String> deletes) {
    if (!deletes.isEmpty()) {
      steps.add(new DeleteDocuments(List.copyOf(deletes)));
      deletes.clear();
    }
  }

  private static void flushUpserts(
      List<Step> steps, Map<String, Long> versions, Map<String, ChunkRecord> chunks) {
    if (!versions.isEmpty()) {
      steps.add(new ReplaceChunks(versions, List.copyOf(chunks.values())));
      versions.clear();
      chunks.clear();
    }
  }
}
