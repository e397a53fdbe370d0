package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * One hit, in Agent Brain's response shape. Scores are in [0, 1]; higher is better.
 *
 * @param explain how the retrievers ranked it; only when the request asked to explain
 */
public record QueryResult(
    @JsonProperty("text") String text,
    @JsonProperty("source") String source,
    @JsonProperty("score") double score,
    @JsonProperty("vector_score") Double vectorScore,
    @JsonProperty("bm25_score") Double bm25Score,
    @JsonProperty("chunk_id") String chunkId,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("language") String language,
    @JsonProperty("metadata") Map<String, String> metadata,
    @JsonProperty("explain") @JsonInclude(JsonInclude.Include.NON_NULL) Explanation explain) {

  /**
   * Per-retriever ranks and scores of a hit.
   *
   * @param mode the fusion that made {@code score} from them
   * @param vector its place in the vector ranking, {@code null} when that ranking did not hold it
   * @param bm25 its place in the keyword ranking, {@code null} when that ranking did not hold it
   * @param candidates how deep each retriever was asked to rank
   */
  public record Explanation(
      @JsonProperty("mode") String mode,
      @JsonProperty("vector") Ranked vector,
      @JsonProperty("bm25") Ranked bm25,
      @JsonProperty("candidates") int candidates) {}

  /**
   * @param rank 1-based position in one retriever's ranking
   * @param score that retriever's score, on the one scale of both backends
   */
  public record Ranked(@JsonProperty("rank") int rank, @JsonProperty("score") double score) {}
}
