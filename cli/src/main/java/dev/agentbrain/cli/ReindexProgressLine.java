package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.indexer.IndexerMetrics;
import dev.agentbrain.query.reindex.ReindexProgress;
import dev.agentbrain.storage.Retriever;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;

/**
 * The reindex command's progress line: the figures {@code GET /indexes/{name}} shows (from Kafka
 * and the backends, see {@link ReindexProgress}) plus this process's embedding-cache rate.
 */
final class ReindexProgressLine implements AutoCloseable {

  private final Admin admin;
  private final List<Wiring.BackendStore> stores = new ArrayList<>();
  private final ReindexProgress progress;

  /** Counting chunks in every backend the indexer writes. */
  ReindexProgressLine(Wiring wiring) {
    this(wiring, wiring.sinkBackends());
  }

  /** Counting chunks in {@code backends} only. */
  ReindexProgressLine(Wiring wiring, List<Backend> backends) {
    this.admin = wiring.admin();
    Map<String, Retriever> readers = new LinkedHashMap<>();
    for (Backend backend : backends) {
      Wiring.BackendStore store = wiring.store(backend);
      stores.add(store);
      readers.put(backend.id(), store.reader());
    }
    this.progress = new ReindexProgress(admin, wiring.topics(), readers);
  }

  /** Samples the reindex and says where it is. */
  ReindexProgress.Snapshot sample(String index, int version, String applicationId) {
    return progress.sample(index, version, applicationId);
  }

  static String format(ReindexProgress.Snapshot now, IndexerMetrics metrics) {
    StringBuilder line =
        new StringBuilder(
            String.format(
                "%s: documents %d/%d (%.0f%%)",
                now.physical(), now.documentsDone(), now.documentsTotal(), 100 * now.fraction()));
    now.chunks()
        .forEach((backend, count) -> line.append(", ").append(backend).append(' ').append(count));
    line.append(String.format(" chunks, %.1f docs/s", now.documentsPerSecond()));
    if (now.secondsLeft() >= 0) {
      long seconds = (long) now.secondsLeft();
      line.append(String.format(", ETA %d:%02d", seconds / 60, seconds % 60));
    }
    long embedded = (long) metrics.chunksEmitted();
    if (embedded > 0) {
      long hits = (long) metrics.cacheHits();
      line.append(
          String.format(", from cache %d/%d (%.0f%%)", hits, embedded, 100.0 * hits / embedded));
    }
    return line.toString();
  }

  @Override
  public void close() {
    admin.close();
    stores.forEach(Wiring.BackendStore::close);
  }
}
