package dev.agentbrain.indexer;

import java.time.Duration;

/**
 * When a batch of chunks is sent to the embedding model (defaults and environment variables: {@code
 * AGENT_BRAIN_BATCH_*} in the settings): when it holds {@code maxChunks} chunks or {@code
 * maxTokens} tokens, or when its oldest chunk has waited {@code maxWait}.
 */
public record BatchSettings(int maxChunks, int maxTokens, Duration maxWait) {

  public BatchSettings {
    if (maxChunks < 1 || maxTokens < 1 || maxWait.isNegative() || maxWait.isZero()) {
      throw new IllegalArgumentException("batch limits must be positive");
    }
  }
}
