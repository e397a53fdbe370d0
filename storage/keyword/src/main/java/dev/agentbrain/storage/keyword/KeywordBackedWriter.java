package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.IndexSpec;
import java.util.List;
import java.util.Map;

/**
 * Writes to a backend that has no keyword search of its own (Chroma), then applies the same writes
 * to this process's keyword indexes, as the query API's {@code KeywordIndexFeed} does with each
 * batch the Chroma sink has committed. For a process that both writes and searches such a backend
 * (evaluations, tests), searching it through a {@link KeywordBackedRetriever}; it does not close
 * the backend or the indexes, which its caller owns.
 */
public final class KeywordBackedWriter implements ChunkWriter {

  private final ChunkWriter vectors;
  private final KeywordIndexes keywords;

  public KeywordBackedWriter(ChunkWriter vectors, KeywordIndexes keywords) {
    this.vectors = vectors;
    this.keywords = keywords;
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    vectors.ensureIndex(spec);
    keywords.ensureIndex(spec);
    if (!keywords.complete(spec.physicalName())) {
      // a keyword index that starts with its backend's index holds everything written through here
      keywords.completeBuild(spec.physicalName(), Map.of());
    }
  }

  @Override
  public void write(String physicalName, List<ChunkWrite> writes) {
    vectors.write(physicalName, writes);
    keywords.apply(physicalName, writes, Map.of());
  }

  @Override
  public void dropIndex(String physicalName) {
    vectors.dropIndex(physicalName);
    keywords.drop(physicalName);
  }

  @Override
  public void close() {}
}
