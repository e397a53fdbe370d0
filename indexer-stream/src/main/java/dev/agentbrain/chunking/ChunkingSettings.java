package dev.agentbrain.chunking;

/**
 * How big chunks are. Part of an index's contract: changing them means reindexing.
 *
 * @param maxTokens most tokens of one chunk, by the model's tokenizer; at least 16 and at most the
 *     model's limit
 * @param overlapTokens about how many tokens a chunk repeats from the end of the previous one when
 *     both cut the same section; 0 to half of {@code maxTokens}
 */
public record ChunkingSettings(int maxTokens, int overlapTokens) {

  /** Smallest {@code maxTokens} accepted: below it hardly a sentence fits. */
  public static final int MIN_MAX_TOKENS = 16;

  private static final int DEFAULT_MAX_TOKENS = 400;

  public ChunkingSettings {
    if (maxTokens < MIN_MAX_TOKENS) {
      throw new IllegalArgumentException(
          "chunk size must be at least %d tokens, got %d".formatted(MIN_MAX_TOKENS, maxTokens));
    }
    if (overlapTokens < 0 || overlapTokens > maxTokens / 2) {
      throw new IllegalArgumentException(
          "chunk overlap must be between 0 and half the chunk size (%d tokens), got %d"
              .formatted(maxTokens / 2, overlapTokens));
    }
  }

  /**
   * Defaults for a model that accepts {@code modelMaxTokens}: chunks of 400 tokens (or the model's
   * limit when lower) overlapping by an eighth of that, e.g. 400/50 for bge-small-en-v1.5, 126/15
   * for all-MiniLM-L6-v2.
   */
  public static ChunkingSettings forModelLimit(int modelMaxTokens) {
    return ofSize(Math.min(DEFAULT_MAX_TOKENS, modelMaxTokens));
  }

  /** Chunks of at most {@code maxTokens} overlapping by an eighth of that, as the defaults do. */
  public static ChunkingSettings ofSize(int maxTokens) {
    return new ChunkingSettings(maxTokens, maxTokens / 8);
  }

  /**
   * Chunks smaller than this (an eighth of {@code maxTokens}), such as a heading alone, are merged
   * into the next chunk even across a heading or symbol boundary.
   */
  public int minTokens() {
    return maxTokens / 8;
  }
}
