package dev.agentbrain.bench.scale;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The exact nearest chunks of a few query vectors by cosine similarity, found by scanning every
 * vector once as it is offered (no index), for HNSW recall. Vectors are taken as normalised, so
 * cosine is the dot product; equal similarities are ordered by chunk id. Not thread-safe.
 */
final class ExactNeighbours {

  private record Neighbour(String chunkId, double similarity) {}

  private static final Comparator<Neighbour> WORST_FIRST =
      Comparator.comparingDouble(Neighbour::similarity)
          .thenComparing(Neighbour::chunkId, Comparator.reverseOrder());

  private final List<float[]> queries;
  private final int k;
  private final List<PriorityQueue<Neighbour>> best = new ArrayList<>();

  ExactNeighbours(List<float[]> queries, int k) {
    this.queries = List.copyOf(queries);
    this.k = k;
    for (int q = 0; q < queries.size(); q++) {
      best.add(new PriorityQueue<>(WORST_FIRST));
    }
  }

  /** Scores one chunk's vector against every query. */
  void offer(String chunkId, float[] vector) {
    for (int q = 0; q < queries.size(); q++) {
      float[] query = queries.get(q);
      double dot = 0;
      for (int d = 0; d < vector.length; d++) {
        dot += query[d] * vector[d];
      }
      PriorityQueue<Neighbour> heap = best.get(q);
      Neighbour candidate = new Neighbour(chunkId, dot);
      if (heap.size() < k) {
        heap.add(candidate);
      } else if (WORST_FIRST.compare(candidate, heap.peek()) > 0) {
        heap.poll();
        heap.add(candidate);
      }
    }
  }

  /** Share of query {@code q}'s exact {@code k} nearest chunks among the first {@code k} ids. */
  double recall(int q, List<String> rankedChunkIds) {
    Set<String> exact = new HashSet<>();
    best.get(q).forEach(n -> exact.add(n.chunkId()));
    if (exact.isEmpty()) {
      return 1;
    }
    long found = rankedChunkIds.stream().limit(k).filter(exact::contains).count();
    return (double) found / exact.size();
  }
}
