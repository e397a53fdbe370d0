package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Results of a search, best first, with how long it took and which backend answered.
 *
 * @param totalResults the number of results in this response, as in Agent Brain (so never more than
 *     {@code top_k}); whether more follow is {@code nextOffset}
 * @param offset the offset this page starts at
 * @param nextOffset the {@code offset} of the next page, {@code null} when this is the last
 */
public record QueryResponse(
    @JsonProperty("results") List<QueryResult> results,
    @JsonProperty("query_time_ms") double queryTimeMs,
    @JsonProperty("total_results") int totalResults,
    @JsonProperty("backend") String backend,
    @JsonProperty("mode") String mode,
    @JsonProperty("index_version") int indexVersion,
    @JsonProperty("offset") int offset,
    @JsonProperty("next_offset") Integer nextOffset) {}
