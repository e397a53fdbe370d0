package dev.agentbrain.storage;

import java.util.Comparator;

/**
 * One result of a search.
 *
 * @param chunk the stored chunk; its {@code embedding} is empty, because searches do not carry
 *     vectors back (use {@link Retriever#chunk} when one is needed)
 * @param score on the one scale of {@link Similarity}: in [0, 1], higher is better
 */
public record SearchHit(ChunkRecord chunk, double score) {

  /** Best score first; equal scores by chunk id, so that a ranking is the same run to run. */
  public static final Comparator<SearchHit> BEST_FIRST =
      Comparator.comparingDouble(SearchHit::score)
          .reversed()
          .thenComparing(hit -> hit.chunk().chunkId());
}
