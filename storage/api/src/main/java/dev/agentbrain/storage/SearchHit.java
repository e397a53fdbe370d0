package dev.agentbrain.storage;

/**
 * One result of a search.
 *
 * @param chunk the stored chunk (its {@code embedding} may be empty when the query did not ask for
 *     vectors)
 * @param score on the one scale of {@link Similarity}: in [0, 1], higher is better
 */
public record SearchHit(ChunkRecord chunk, double score) {}
