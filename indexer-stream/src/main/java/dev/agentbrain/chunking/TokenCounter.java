package dev.agentbrain.chunking;

/**
 * Counts tokens the way the embedding model will, e.g. {@code model::countTokens}. Must be
 * thread-safe when the {@link Chunker} using it is shared between threads.
 */
@FunctionalInterface
public interface TokenCounter {

  /** Tokens of {@code text}, special tokens not counted. */
  int count(String text);
}
