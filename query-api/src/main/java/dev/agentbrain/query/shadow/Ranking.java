package dev.agentbrain.query.shadow;

import java.util.List;

/**
 * One backend's answer to a query, as the comparison needs it.
 *
 * @param chunkIds result chunk ids, best first
 * @param scores their scores, same order and length
 * @param millis how long the backend took to answer, embedding included
 */
public record Ranking(List<String> chunkIds, List<Double> scores, double millis) {
  public Ranking {
    chunkIds = List.copyOf(chunkIds);
    scores = List.copyOf(scores);
    if (chunkIds.size() != scores.size()) {
      throw new IllegalArgumentException("one score per chunk id");
    }
  }
}
