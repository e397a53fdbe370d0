package dev.agentbrain.embedding;

/**
 * A text has more tokens than the model accepts. Models never truncate silently: the caller must
 * chunk the text to {@link ModelInfo#maxTokens()} tokens (counted by {@link
 * EmbeddingModel#countTokens}) first.
 */
public final class TextTooLongException extends RefusedTextException {

  private final int index;
  private final int tokens;
  private final int maxTokens;

  /**
   * @param model model name, for the message
   * @param index position of the text in the batch (0 for a query)
   * @param tokens tokens the text has, without special tokens
   * @param maxTokens most tokens the model accepts
   */
  public TextTooLongException(String model, int index, int tokens, int maxTokens) {
    super(
        "text %d of the batch has %d tokens, more than the %d that %s accepts; chunk it to at most %d tokens before embedding"
            .formatted(index, tokens, maxTokens, model, maxTokens));
    this.index = index;
    this.tokens = tokens;
    this.maxTokens = maxTokens;
  }

  /** Position of the offending text in the batch it came in. */
  public int index() {
    return index;
  }

  /** Tokens the text has, special tokens not counted. */
  public int tokens() {
    return tokens;
  }

  /** Most tokens the model accepts. */
  public int maxTokens() {
    return maxTokens;
  }
}
