package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/** One hit, in Agent Brain's response shape. Scores are in [0, 1]; higher is better. */
public record QueryResult(
    @JsonProperty("text") String text,
    @JsonProperty("source") String source,
    @JsonProperty("score") double score,
    @JsonProperty("vector_score") Double vectorScore,
    @JsonProperty("bm25_score") Double bm25Score,
    @JsonProperty("chunk_id") String chunkId,
    @JsonProperty("source_type") String sourceType,
    @JsonProperty("language") String language,
    @JsonProperty("metadata") Map<String, String> metadata) {}
