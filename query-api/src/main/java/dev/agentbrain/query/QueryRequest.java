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
 * @param alpha hybrid: weight of the vector score, 0 to 1 (default 0.5)
 * @param rrfK rrf: the rank constant k, 1 to 1000 (default 60)
 * @param vectorWeight rrf: weight of the vector ranking (default 1)
 * @param bm25Weight rrf: weight of the keyword ranking (default 1)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record QueryRequest(
    @JsonProperty("query") String query,
    @JsonProperty("top_k") Integer topK,
    @JsonProperty("similarity_threshold") Double similarityThreshold,
    @JsonProperty("mode") String mode,
    @JsonProperty("index") String index,
    @JsonProperty("backend") String backend,
    @JsonProperty("alpha") Double alpha,
    @JsonProperty("rrf_k") Integer rrfK,
    @JsonProperty("vector_weight") Double vectorWeight,
    @JsonProperty("bm25_weight") Double bm25Weight) {}
