package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import java.util.List;
import java.util.Map;

/**
 * Writes to Chroma, then applies the same writes to this process's keyword indexes, as the query
 * API's {@code KeywordIndexFeed} does with each batch the Chroma sink has committed. For a process
 * that both writes and searches one Chroma backend (evaluations, tests); it does not close the
 * store or the indexes, which its caller owns.
 */
public final class ChromaKeywordWriter implements ChunkWriter {

  private final ChromaStore store;
  private final KeywordIndexes keywords;

  public ChromaKeywordWriter(ChromaStore store, KeywordIndexes keywords) {
    this.store = store;
    this.keywords = keywords;
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    store.ensureIndex(spec);
    keywords.ensureIndex(spec);
    if (!keywords.complete(spec.physicalName())) {
      // a keyword index that starts with its collection holds everything written through here
      keywords.completeBuild(spec.physicalName(), Map.of());
    }
  }

  @Override
  public void write(String physicalName, List<ChunkWrite> writes) {
    store.write(physicalName, writes);
    keywords.apply(physicalName, writes, Map.of());
  }

  @Override
  public void dropIndex(String physicalName) {
    store.dropIndex(physicalName);
    keywords.drop(physicalName);
  }

  @Override
  public void close() {}
}
