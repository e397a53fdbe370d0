package dev.agentbrain.storage;

/**
 * One result of a search.
 *
 * @param chunk the stored chunk; its {@code embedding} is empty, because searches do not carry
 *     vectors back (use {@link Retriever#chunk} when one is needed)
 * @param score on the one scale of {@link Similarity}: in [0, 1], higher is better
 */
public record SearchHit(ChunkRecord chunk, double score) {}
