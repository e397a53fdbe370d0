package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.Filter;
import java.util.Objects;
import java.util.Optional;

/**
 * A validated search: what {@link SearchService} runs. Built from the wire form by {@link
 * QueryRequest#validate}; every value is within its range.
 *
 * @param text the query text, 1 to {@link #MAX_QUERY_CHARS} characters, stripped
 * @param index logical index name
 * @param mode how to rank
 * @param topK results per page, 1 to {@link #MAX_TOP_K}
 * @param offset results to skip (pagination), 0 to {@link #MAX_DEPTH} - topK
 * @param similarityThreshold minimum score of a result, inclusive, 0 to 1
 * @param filter which chunks may be returned
 * @param explain whether each result says its rank and score per retriever
 * @param backend the backend to ask instead of the primary (an admin override), empty for primary
 */
public record SearchRequest(
    String text,
    String index,
    SearchMode mode,
    int topK,
    int offset,
    double similarityThreshold,
    Filter filter,
    boolean explain,
    Optional<Backend> backend) {

  public static final int DEFAULT_TOP_K = 5;
  public static final int MAX_TOP_K = 100;
  public static final int MAX_QUERY_CHARS = 8000;

  /**
   * The most words a keyword search (bm25, hybrid, rrf) may have: each word widens the set of
   * matching chunks, and a pasted page would match nearly every chunk.
   */
  public static final int MAX_KEYWORD_WORDS = 64;

  /** offset + top_k may not pass this: the deepest ranking a retriever is asked for. */
  public static final int MAX_DEPTH = 1000;

  public SearchRequest {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(filter, "filter");
    Objects.requireNonNull(backend, "backend");
    text = text == null ? "" : text.strip();
    if (text.isEmpty()) {
      throw new InvalidRequestException("query must not be empty");
    }
    if (text.length() > MAX_QUERY_CHARS) {
      throw new InvalidRequestException("query is longer than " + MAX_QUERY_CHARS + " characters");
    }
    int words = words(text);
    if (mode.usesKeywords() && words > MAX_KEYWORD_WORDS) {
      throw new InvalidRequestException(
          "a "
              + mode.name()
              + " query may have at most "
              + MAX_KEYWORD_WORDS
              + " words and this one has "
              + words
              + ": shorten it to its key words, or search a long passage with mode vector");
    }
    if (topK < 1 || topK > MAX_TOP_K) {
      throw new InvalidRequestException("top_k must be between 1 and " + MAX_TOP_K);
    }
    // compared as offset > MAX_DEPTH - topK: offset + topK overflows an int for an offset near
    // Integer.MAX_VALUE, and passed this check (a 500 for offset=2147483647)
    if (offset < 0 || offset > MAX_DEPTH - topK) {
      throw new InvalidRequestException(
          "offset must be at least 0, and offset + top_k at most " + MAX_DEPTH);
    }
    if (!(similarityThreshold >= 0 && similarityThreshold <= 1)) {
      throw new InvalidRequestException("similarity_threshold must be between 0 and 1");
    }
  }

  // runs of letters and digits, as the keyword analysers split text; one pass, no regex
  private static int words(String text) {
    int words = 0;
    boolean inWord = false;
    for (int i = 0; i < text.length(); i++) {
      boolean part = Character.isLetterOrDigit(text.charAt(i));
      if (part && !inWord) {
        words++;
      }
      inWord = part;
    }
    return words;
  }

  /** The same search on another backend (what a shadow mirror asks). */
  public SearchRequest on(Backend other) {
    return new SearchRequest(
        text, index, mode, topK, offset, similarityThreshold, filter, explain, Optional.of(other));
  }
}
