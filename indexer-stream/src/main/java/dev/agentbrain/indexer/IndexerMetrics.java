package dev.agentbrain.indexer;

import dev.agentbrain.deadletter.Stage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;

/**
 * Counters and timings of the indexer topology, as Micrometer meters ({@code
 * agentbrain.indexer.*}).
 */
public final class IndexerMetrics {

  private final MeterRegistry registry;
  private final Counter emitted;
  private final Counter cacheHits;
  private final Counter embeddedTexts;
  private final Timer embedTime;
  private final Counter embeddingWaits;

  public IndexerMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.emitted = registry.counter("agentbrain.indexer.chunks.emitted");
    this.cacheHits = registry.counter("agentbrain.indexer.embedding.cache.hits");
    this.embeddedTexts = registry.counter("agentbrain.indexer.embedding.texts");
    this.embedTime = registry.timer("agentbrain.indexer.embedding.batch.time");
    this.embeddingWaits = registry.counter("agentbrain.indexer.embedding.unavailable");
  }

  void chunksEmitted(int count) {
    emitted.increment(count);
  }

  void cacheHits(int count) {
    cacheHits.increment(count);
  }

  void embedded(int texts, long nanos) {
    embeddedTexts.increment(texts);
    embedTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  void waitedForProvider() {
    embeddingWaits.increment();
  }

  void refused(Stage stage, int count) {
    registry.counter("agentbrain.indexer.refused", "stage", stage.id()).increment(count);
  }

  /** Chunks forwarded so far. */
  public double chunksEmitted() {
    return emitted.count();
  }

  /** Vectors reused from the embedding cache so far. */
  public double cacheHits() {
    return cacheHits.count();
  }

  /** Embedding attempts that found the provider unavailable and left their batch to wait. */
  public double embeddingUnavailable() {
    return embeddingWaits.count();
  }

  /** Texts sent to the embedding model so far. */
  public double textsEmbedded() {
    return embeddedTexts.count();
  }
}
