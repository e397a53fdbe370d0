package dev.agentbrain.embedding;

import java.util.List;

/**
 * Turns text into vectors. Implementations are thread-safe and keep every core busy on their own: a
 * caller hands over a whole batch and gets it back embedded.
 */
public interface EmbeddingModel extends AutoCloseable {

  /** Provider, model name, dimensions and limits of this model. */
  ModelInfo info();

  /**
   * Embeds passages (documents, chunks), in order. Every text must fit {@link
   * ModelInfo#maxTokens()} tokens as counted by {@link #countTokens}; a longer text is rejected,
   * not silently truncated.
   *
   * @return one vector of {@link ModelInfo#dimensions()} floats per text, in the order given
   * @throws TextTooLongException if a text has more than {@link ModelInfo#maxTokens()} tokens;
   *     nothing is embedded then
   * @throws IllegalArgumentException if a text is blank
   * @throws EmbeddingException if the model fails on valid input
   */
  List<float[]> embedPassages(List<String> texts);

  /**
   * Embeds a search query (with the model's query prefix, when it has one).
   *
   * @throws TextTooLongException if the query, prefix included, exceeds the token limit
   * @throws IllegalArgumentException if the query is blank
   */
  float[] embedQuery(String text);

  /** Number of tokens the model's own tokenizer makes of {@code text}, without special tokens. */
  int countTokens(String text);

  @Override
  void close();
}
