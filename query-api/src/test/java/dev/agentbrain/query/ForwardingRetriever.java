package dev.agentbrain.query;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.PoolStats;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import java.util.List;
import java.util.Optional;

/** A retriever that passes every call to a real one; tests override what they need to change. */
class ForwardingRetriever implements Retriever {

  private final Retriever real;

  ForwardingRetriever(Retriever real) {
    this.real = real;
  }

  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    return real.vectorSearch(physicalName, query);
  }

  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    return real.keywordSearch(physicalName, query);
  }

  @Override
  public long count(String physicalName, Filter filter) {
    return real.count(physicalName, filter);
  }

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    return real.chunk(physicalName, chunkId);
  }

  @Override
  public KeywordReadiness keywordReadiness() {
    return real.keywordReadiness();
  }

  @Override
  public Optional<PoolStats> poolStats() {
    return real.poolStats();
  }

  @Override
  public void close() {
    real.close();
  }
}
