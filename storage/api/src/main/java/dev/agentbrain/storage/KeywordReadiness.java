package dev.agentbrain.storage;

import java.util.Objects;

/**
 * Whether a backend's keyword search answers from up-to-date data, in a form a health endpoint can
 * show as it is.
 *
 * @param ready whether keyword search can be used at all (false while a keyword index is first
 *     built, or when the backend has none)
 * @param behind chunk events that the backend's vector store already holds but its keyword index
 *     has not applied yet (0 when the keyword index is written with the chunks themselves)
 * @param detail one sentence for a person: where the keyword index stands, what to do if anything
 */
public record KeywordReadiness(boolean ready, long behind, String detail) {

  public KeywordReadiness {
    Objects.requireNonNull(detail, "detail");
    if (behind < 0) {
      throw new IllegalArgumentException("behind must be at least 0, not " + behind);
    }
  }

  /** A keyword index written in the same transaction as the chunks: never behind. */
  public static KeywordReadiness inStep(String detail) {
    return new KeywordReadiness(true, 0, detail);
  }
}
