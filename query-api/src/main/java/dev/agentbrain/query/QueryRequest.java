package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * A search, in Agent Brain's request shape ({@code POST /query}).
 *
 * @param query the text to search for, 1 to 8000 characters
 * @param topK results to return, 1 to 100 (default 5)
 * @param similarityThreshold minimum score, 0 to 1, inclusive (default 0)
 * @param mode {@code vector} (default) or {@code bm25} (keyword search; hybrid modes follow)
 * @param index logical index (default {@code docs})
 * @param backend admin override of the configured backend: {@code postgres} or {@code chroma}
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record QueryRequest(
    @JsonProperty("query") String query,
    @JsonProperty("top_k") Integer topK,
    @JsonProperty("similarity_threshold") Double similarityThreshold,
    @JsonProperty("mode") String mode,
    @JsonProperty("index") String index,
    @JsonProperty("backend") String backend) {}
