package dev.agentbrain.storage;

import java.util.List;
import java.util.Optional;

/**
 * Reads one backend. Implementations are thread-safe. Scores follow {@link Similarity}.
 *
 * <p>Every method throws {@link NoSuchIndexException} when the physical index does not exist,
 * {@link StorageUnavailableException} when the backend cannot be reached (retry later) and {@link
 * StorageException} for anything else.
 */
public interface Retriever extends AutoCloseable {

  /**
   * Nearest chunks to the query vector, best first, at most {@code topK}, each with a score of at
   * least the query's threshold.
   *
   * @throws ContractMismatchException when the vector's length is not the index's dimensions
   */
  List<SearchHit> vectorSearch(String physicalName, VectorQuery query);

  /**
   * Chunks that hold at least one of the query's analysed terms, ranked by {@link Bm25} with the
   * index's current term statistics (document frequency per term, chunk lengths, number of chunks),
   * best first, at most {@code topK}; equal scores are ordered by chunk id. Scores are normalised
   * by {@link Similarity#fromBm25}. A query with no searchable term (only stop words or
   * punctuation) finds nothing.
   *
   * @throws StorageException when the backend has no keyword index (the message says so)
   */
  List<SearchHit> keywordSearch(String physicalName, KeywordQuery query);

  /** How many chunks match the filter. */
  long count(String physicalName, Filter filter);

  /**
   * The chunk with this id, embedding included (at the precision the backend stores: half precision
   * for PostgreSQL indexes of more than 2,000 dimensions).
   */
  Optional<ChunkRecord> chunk(String physicalName, String chunkId);

  /** The backend's connection pool now, empty when it has none (e.g. an HTTP client). */
  default Optional<PoolStats> poolStats() {
    return Optional.empty();
  }

  /**
   * Whether {@link #keywordSearch} answers from up-to-date data. Cheap (no request to the backend):
   * meant to be called by a health endpoint on every request.
   */
  KeywordReadiness keywordReadiness();

  @Override
  void close();
}
