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
   * @param alpha 0 to 1
   * @param normalisation how each ranking's scores are made comparable; the API always uses {@link
   *     #NORMALISATION}, {@code make eval} compares the others
   */
  record Hybrid(double alpha, ScoreNormalisation normalisation) implements SearchMode {

    /** Alpha of a request that sends none: chosen on SciFact's train split by {@code make eval}. */
    public static final double DEFAULT_ALPHA = 0.5;

    /** The normalisation of every hybrid search: chosen on SciFact's train split. */
    public static final ScoreNormalisation NORMALISATION = ScoreNormalisation.STORED;

    public Hybrid {
      if (!(alpha >= 0 && alpha <= 1)) {
        throw ApiException.badRequest("alpha must be between 0 and 1");
      }
      Objects.requireNonNull(normalisation, "normalisation");
    }

    /** Hybrid search as the API runs it: the given alpha with {@link #NORMALISATION}. */
    public Hybrid(double alpha) {
      this(alpha, NORMALISATION);
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

    /** k of a request that sends none: chosen on SciFact's train split by {@code make eval}. */
    public static final int DEFAULT_K = 60;

    /** Weight of the vector ranking of a request that sends none. */
    public static final double DEFAULT_VECTOR_WEIGHT = 1;

    /** Weight of the keyword ranking of a request that sends none. */
    public static final double DEFAULT_BM25_WEIGHT = 1;

    public Rrf {
      if (k < 1 || k > 1000 || !(vectorWeight >= 0) || !(bm25Weight >= 0)) {
        throw ApiException.badRequest("rrf_k must be 1..1000 and the weights must not be negative");
      }
    }

    @Override
    public String name() {
      return "rrf";
    }
  }
}
