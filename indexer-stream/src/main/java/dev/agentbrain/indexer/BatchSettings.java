package dev.agentbrain.indexer;

import java.time.Duration;

/**
 * When a batch of chunks is sent to the embedding model: when it holds {@code maxChunks} chunks or
 * {@code maxTokens} tokens, or when its oldest chunk has waited {@code maxWait}.
 */
public record BatchSettings(int maxChunks, int maxTokens, Duration maxWait) {

  /** Enough work per call to keep every core busy, short enough that one document shows fast. */
  public static final BatchSettings DEFAULT = new BatchSettings(64, 24_000, Duration.ofMillis(300));

  public BatchSettings {
    if (maxChunks < 1 || maxTokens < 1 || maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("batch limits must be positive");
    }
  }
}
