package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Map;

/**
 * An index as {@code GET /indexes} shows it: its live contract and its chunk count per backend
 * ({@code null} where the backend did not answer or has no such index yet).
 */
public record IndexInfo(
    @JsonProperty("name") String name,
    @JsonProperty("version") int version,
    @JsonProperty("provider") String provider,
    @JsonProperty("model") String model,
    @JsonProperty("dimensions") int dimensions,
    @JsonProperty("metric") String metric,
    @JsonProperty("normalized") boolean normalized,
    @JsonProperty("text_search_language") String textSearchLanguage,
    @JsonProperty("chunk_max_tokens") int chunkMaxTokens,
    @JsonProperty("chunk_overlap_tokens") int chunkOverlapTokens,
    @JsonProperty("chunks") Map<String, Long> chunks) {}
