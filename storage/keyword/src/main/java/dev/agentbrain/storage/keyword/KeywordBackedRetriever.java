package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.PoolStats;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A backend that has no keyword search of its own (Chroma), read with keyword search added: vector
 * searches, counts and chunks come from the backend, keyword searches and their readiness from
 * local keyword indexes that whoever feeds them keeps in step with what the backend holds (the
 * query API's {@code KeywordIndexFeed}, or a {@link KeywordBackedWriter} in a process that writes
 * both). Keyword searches trail the backend by what {@link #keywordReadiness} reports.
 *
 * <p>Closing it closes the backend's retriever; the keyword indexes belong to their feeder.
 * Thread-safe.
 */
public final class KeywordBackedRetriever implements Retriever {

  private final Retriever vectors;
  private final Function<String, IndexSpec> specs;
  private final KeywordIndexes keywords;

  /**
   * @param vectors the backend
   * @param specs the spec of one of the backend's physical indexes, throwing {@link
   *     dev.agentbrain.storage.NoSuchIndexException} when it has none: asked before each keyword
   *     search, so that an index the backend does not hold fails as the backend's own reads do
   * @param keywords the keyword indexes that answer keyword searches
   */
  public KeywordBackedRetriever(
      Retriever vectors, Function<String, IndexSpec> specs, KeywordIndexes keywords) {
    this.vectors = vectors;
    this.specs = specs;
    this.keywords = keywords;
  }

  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    return vectors.vectorSearch(physicalName, query);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Answered by the local keyword index (Lucene, BM25 from exact statistics, scored as
   * PostgreSQL scores), which trails what the backend holds by what {@link #keywordReadiness}
   * reports.
   *
   * @throws dev.agentbrain.storage.StorageUnavailableException while the keyword index is first
   *     built
   */
  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    specs.apply(physicalName);
    return keywords.search(physicalName, query);
  }

  /** How far behind the keyword indexes are, as their feed last reported. */
  @Override
  public KeywordReadiness keywordReadiness() {
    return keywords.readiness();
  }

  @Override
  public long count(String physicalName, Filter filter) {
    return vectors.count(physicalName, filter);
  }

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    return vectors.chunk(physicalName, chunkId);
  }

  @Override
  public Optional<PoolStats> poolStats() {
    return vectors.poolStats();
  }

  @Override
  public void close() {
    vectors.close();
  }
}
