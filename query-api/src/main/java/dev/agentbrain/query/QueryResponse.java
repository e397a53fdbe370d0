package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/** Results of a search, best first, with how long it took and which backend answered. */
public record QueryResponse(
    @JsonProperty("results") List<QueryResult> results,
    @JsonProperty("query_time_ms") double queryTimeMs,
    @JsonProperty("total_results") int totalResults,
    @JsonProperty("backend") String backend,
    @JsonProperty("mode") String mode,
    @JsonProperty("index_version") int indexVersion) {}
