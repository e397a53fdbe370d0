package dev.agentbrain.query;

import java.util.List;
import java.util.Objects;

/** How a search ranks chunks; the closed set of {@code mode} values of {@code /query}. */
public sealed interface SearchMode {

  /** Names as the API spells them. */
  List<String> NAMES = List.of("vector", "bm25", "hybrid", "rrf");

  /** The name as the API spells it. */
  String name();

  /** Whether this mode asks the vector retriever. */
  default boolean usesVectors() {
    return !(this instanceof Bm25);
  }

  /** Whether this mode asks the keyword retriever. */
  default boolean usesKeywords() {
    return !(this instanceof Vector);
  }

  /**
   * Whether the query is embedded with the model's query instruction (bge's "Represent this
   * sentence for searching relevant passages: "), or as a passage, without it. Chosen per mode on
   * SciFact's train split by {@code make eval}: only the default hybrid ranks better without it.
   */
  default boolean instructedQuery() {
    return true;
  }

  /** Nearest neighbours by cosine similarity. */
  record Vector() implements SearchMode {
    @Override
    public String name() {
      return "vector";
    }
  }

  /** Real BM25 over the index's term statistics. */
  record Bm25() implements SearchMode {
    @Override
    public String name() {
      return "bm25";
    }
  }

  /**
   * {@code alpha * vector + (1 - alpha) * bm25} of the normalised scores.
   *
   * @param alpha 0 (BM25 only) to 1 (vector only)
   * @param normalisation how each ranking's scores are made comparable: {@link #DEFAULT}'s for a
   *     request without alpha, {@link ScoreNormalisation#STORED} for one that sends alpha; {@code
   *     make eval} compares the others
   * @param instructedQuery whether the vector ranking's query is embedded with the model's query
   *     instruction ({@link SearchMode#instructedQuery})
   */
  record Hybrid(double alpha, ScoreNormalisation normalisation, boolean instructedQuery)
      implements SearchMode {

    /**
     * The hybrid search of a request that sends no alpha: alpha 0.95 on L2-normalised scores, the
     * query embedded without the model's instruction; the best normalisation, alpha and query
     * embedding on SciFact's train split ({@code make eval}, docs/fusion.md).
     */
    public static final Hybrid DEFAULT = new Hybrid(0.95, ScoreNormalisation.L2, false);

    public Hybrid {
      if (!(alpha >= 0 && alpha <= 1)) {
        throw new InvalidRequestException("alpha must be between 0 and 1");
      }
      Objects.requireNonNull(normalisation, "normalisation");
    }

    /**
     * Hybrid search with the alpha a request sent, on the stored scores (cosine similarity and BM25
     * over the query's bound, both 0 to 1): alpha is the vector score's share of one 0..1 scale, as
     * in Agent Brain and as before the defaults were tuned, so a client that sends alpha gets what
     * it always got. L2-normalised scores are not on that scale (alpha 0.5 there ranks SciFact's
     * train split 0.023 lower than alpha 0.5 on the stored scores). The query is embedded with the
     * model's instruction, as before.
     */
    public Hybrid(double alpha) {
      this(alpha, ScoreNormalisation.STORED, true);
    }

    @Override
    public String name() {
      return "hybrid";
    }
  }

  /**
   * Reciprocal rank fusion: {@code sum of weight / (k + rank)}.
   *
   * @param k 1 to 1000
   * @param vectorWeight at least 0
   * @param bm25Weight at least 0
   */
  record Rrf(int k, double vectorWeight, double bm25Weight) implements SearchMode {

    /**
     * The rrf of a request that sends none of k and the weights: k 10 with the vector ranking
     * weighted 2, the best on SciFact's train split ({@code make eval}); each value a request
     * leaves out is this one's.
     */
    public static final Rrf DEFAULT = new Rrf(10, 2, 1);

    public Rrf {
      if (k < 1 || k > 1000 || !(vectorWeight >= 0) || !(bm25Weight >= 0)) {
        throw new InvalidRequestException(
            "rrf_k must be 1..1000 and the weights must not be negative");
      }
    }

    @Override
    public String name() {
      return "rrf";
    }
  }
}
