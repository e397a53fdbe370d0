package dev.agentbrain.storage;

import java.util.Objects;

/**
 * A nearest-neighbour search.
 *
 * @param vector the query vector, already embedded with the index's model
 * @param topK how many hits at most, 1 to 1000
 * @param similarityThreshold minimum {@link Similarity} score, inclusive, 0 to 1
 * @param filter which chunks may be returned
 */
public record VectorQuery(float[] vector, int topK, double similarityThreshold, Filter filter) {
  public VectorQuery {
    Objects.requireNonNull(vector, "vector");
    Objects.requireNonNull(filter, "filter");
    if (topK < 1 || topK > 1000) {
      throw new IllegalArgumentException("topK must be 1..1000, not " + topK);
    }
    if (similarityThreshold < 0 || similarityThreshold > 1) {
      throw new IllegalArgumentException("similarityThreshold must be 0..1");
    }
  }
}
