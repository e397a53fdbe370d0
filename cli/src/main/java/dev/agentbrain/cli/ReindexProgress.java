package dev.agentbrain.cli;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.IndexerMetrics;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.topics.GroupProgress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Progress of a running reindex, from Kafka (the reindex's committed offsets on the document log
 * against its end offsets) and the backends (chunks stored in the new version), plus the rates
 * between two samples. The embedding-cache rate comes from the reindex's own metrics.
 */
final class ReindexProgress implements AutoCloseable {

  /**
   * One sample.
   *
   * @param documents log positions done and total
   * @param chunks chunks stored per backend in the new version (-1: backend not reachable)
   * @param documentsPerSecond log positions per second since the previous sample
   * @param secondsLeft estimated time to catch up, -1 when unknown
   * @param chunksEmbedded chunks the reindex has emitted so far in this run
   * @param cacheHits of those, how many came from the embedding cache
   */
  record Snapshot(
      String physical,
      GroupProgress documents,
      Map<String, Long> chunks,
      double documentsPerSecond,
      double secondsLeft,
      long chunksEmbedded,
      long cacheHits) {

    String line() {
      StringBuilder line =
          new StringBuilder(
              String.format(
                  "%s: documents %d/%d (%.0f%%)",
                  physical, documents.done(), documents.total(), 100 * documents.fraction()));
      chunks.forEach(
          (backend, count) -> line.append(", ").append(backend).append(' ').append(count));
      line.append(String.format(" chunks, %.1f docs/s", documentsPerSecond));
      if (secondsLeft >= 0) {
        line.append(
            String.format(", ETA %d:%02d", (long) secondsLeft / 60, (long) secondsLeft % 60));
      }
      if (chunksEmbedded > 0) {
        line.append(
            String.format(
                ", cache %d/%d (%.0f%%)",
                cacheHits, chunksEmbedded, 100.0 * cacheHits / chunksEmbedded));
      }
      return line.toString();
    }
  }

  private final String documentsTopic;
  private final String physical;
  private final String applicationId;
  private final Admin admin;
  private final List<Wiring.BackendStore> backends = new ArrayList<>();
  private long lastDone = -1;
  private long lastNanos;

  ReindexProgress(Wiring wiring, EmbeddingContract target, String applicationId) {
    this.documentsTopic = wiring.topics().documents().name();
    this.admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, wiring.bootstrap()));
    wiring.sinkBackends().forEach(b -> backends.add(wiring.store(b)));
    this.physical = ContractRegistry.physicalName(target.getIndex(), target.getVersion());
    this.applicationId = applicationId;
  }

  Snapshot sample(IndexerMetrics metrics) {
    GroupProgress documents = GroupProgress.of(admin, applicationId, documentsTopic);
    Map<String, Long> chunks = new LinkedHashMap<>();
    for (Wiring.BackendStore store : backends) {
      String name = store.backend().id();
      try {
        chunks.put(name, store.reader().count(physical, Filter.ALL));
      } catch (NoSuchIndexException e) {
        chunks.put(name, 0L);
      } catch (StorageException e) {
        chunks.put(name, -1L);
      }
    }
    long now = System.nanoTime();
    double rate = 0;
    double left = -1;
    if (lastDone >= 0) {
      rate = (documents.done() - lastDone) / Math.max((now - lastNanos) / 1e9, 1e-3);
      if (rate > 0) {
        left = (documents.total() - documents.done()) / rate;
      }
    }
    if (documents.caughtUp()) {
      left = 0;
    }
    lastDone = documents.done();
    lastNanos = now;
    return new Snapshot(
        physical,
        documents,
        chunks,
        rate,
        left,
        (long) metrics.chunksEmitted(),
        (long) metrics.cacheHits());
  }

  @Override
  public void close() {
    admin.close();
    backends.forEach(Wiring.BackendStore::close);
  }
}
