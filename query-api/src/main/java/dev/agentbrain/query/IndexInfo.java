package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * An index as {@code GET /indexes} shows it: its live contract, its chunk count per backend ({@code
 * null} where the backend did not answer or has no such index yet), which backend answers its
 * queries, and whether this service can serve it.
 *
 * @param version the live version, the one queries read
 * @param chunkContext whether chunks after the first are embedded with their heading path in front
 * @param versions every version registered for the index (e.g. a reindex in progress), oldest first
 * @param refusal why this service refuses to serve the index (queries answer 409), {@code null}
 *     when it serves it
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
    @JsonProperty("chunk_context") boolean chunkContext,
    @JsonProperty("chunks") Map<String, Long> chunks,
    @JsonProperty("versions") List<Integer> versions,
    @JsonProperty("primary_backend") String primaryBackend,
    @JsonProperty("refusal") String refusal) {}
