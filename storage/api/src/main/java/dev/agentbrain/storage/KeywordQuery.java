package dev.agentbrain.storage;

import java.util.Objects;

/**
 * A keyword (BM25) search.
 *
 * @param text the query as a person typed it; each backend analyses it as its index analyses chunk
 *     text (PostgreSQL: the index's text-search configuration), and a chunk matches when it holds
 *     at least one of the analysed terms
 * @param topK how many hits at most, 1 to 1000
 * @param filter which chunks may be returned
 */
public record KeywordQuery(String text, int topK, Filter filter) {
  public KeywordQuery {
    Objects.requireNonNull(text, "text");
    Objects.requireNonNull(filter, "filter");
    if (topK < 1 || topK > 1000) {
      throw new IllegalArgumentException("topK must be 1..1000, not " + topK);
    }
  }
}
