package dev.agentbrain.storage;

import java.util.List;
import java.util.Optional;

/** Reads one backend. Implementations are thread-safe. Scores follow {@link Similarity}. */
public interface Retriever extends AutoCloseable {

  /** Nearest chunks to the query vector, best first, at most {@code topK}. */
  List<SearchHit> vectorSearch(String physicalName, VectorQuery query);

  /** How many chunks match the filter. */
  long count(String physicalName, Filter filter);

  /** The chunk with this id, embedding included. */
  Optional<ChunkRecord> chunk(String physicalName, String chunkId);

  @Override
  void close();
}
