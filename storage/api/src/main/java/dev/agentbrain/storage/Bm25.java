package dev.agentbrain.storage;

/**
 * Okapi BM25 as every backend computes it, in the form Lucene uses for its IDF (never negative).
 * The score of a chunk for a query is the sum, over the query's analysed terms that the chunk
 * holds, of {@code queryCount * idf * termWeight}.
 *
 * @param k1 how fast repeated occurrences of a term stop adding to the score (0 = one occurrence is
 *     as good as many)
 * @param b how much a chunk longer than average is penalised, 0 to 1
 */
public record Bm25(double k1, double b) {

  /** The usual parameters (Elasticsearch's and the BEIR baseline's). */
  public static final Bm25 STANDARD = new Bm25(1.2, 0.75);

  public Bm25 {
    if (!(k1 >= 0) || !Double.isFinite(k1)) {
      throw new IllegalArgumentException("k1 must be finite and at least 0, not " + k1);
    }
    if (!(b >= 0 && b <= 1)) {
      throw new IllegalArgumentException("b must be 0..1, not " + b);
    }
  }

  /**
   * Inverse document frequency: {@code ln(1 + (chunks - df + 0.5) / (df + 0.5))}.
   *
   * @param chunks chunks in the index
   * @param documentFrequency chunks that hold the term, 1 to {@code chunks}
   */
  public static double idf(long chunks, long documentFrequency) {
    return Math.log(1 + (chunks - documentFrequency + 0.5) / (documentFrequency + 0.5));
  }

  /**
   * How much one term adds per unit of IDF: {@code tf * (k1 + 1) / (tf + k1 * (1 - b + b * length /
   * averageLength))}, between 0 and {@code k1 + 1}.
   *
   * @param termFrequency occurrences of the term in the chunk
   * @param length the chunk's length in terms, repeats included
   * @param averageLength the average length of the index's chunks
   */
  public double termWeight(int termFrequency, long length, double averageLength) {
    double norm = 1 - b + b * length / averageLength;
    return termFrequency * (k1 + 1) / (termFrequency + k1 * norm);
  }

  /**
   * The most {@link #termWeight} can be for a chunk whose term frequency divided by its length is
   * at most {@code density}, whatever its length: {@code (k1 + 1) * density / (density + k1 * b /
   * averageLength)}. It grows with the density, so a list of chunks read in falling density bounds
   * every chunk after the last one read. (Divide {@link #termWeight}'s numerator and denominator by
   * the length; dropping {@code k1 * (1 - b) / length} from the denominator can only raise it.)
   */
  public double densityBound(double density, double averageLength) {
    double lengthPart = k1 * b / averageLength;
    return lengthPart == 0 ? k1 + 1 : (k1 + 1) * density / (density + lengthPart);
  }

  /**
   * The score no chunk can reach for a query whose terms have these weights ({@code queryCount *
   * idf} each): a chunk approaches it as every term's frequency grows.
   */
  public double bound(double summedTermWeights) {
    return summedTermWeights * (k1 + 1);
  }
}
