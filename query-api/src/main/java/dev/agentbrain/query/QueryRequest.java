package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.Filter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A search as a client sends it, in Agent Brain's request shape ({@code POST /query}; {@code GET
 * /query} takes the same names as query parameters). Every field but {@code query} is optional;
 * {@link #toSearch} checks the values.
 *
 * @param query the text to search for, 1 to 8000 characters
 * @param topK results to return, 1 to 100 (default 5)
 * @param similarityThreshold minimum score, 0 to 1, inclusive (default 0)
 * @param mode {@code vector} (default), {@code bm25}, {@code hybrid} or {@code rrf}
 * @param index logical index (default {@code docs})
 * @param backend admin override of the configured backend: {@code postgres} or {@code chroma}
 * @param alpha hybrid: weight of the vector score, 0 (BM25 only) to 1 (vector only), on the stored
 *     0..1 scores; without it, the tuned default: alpha 0.95 on L2-normalised scores (see {@link
 *     SearchMode.Hybrid#DEFAULT})
 * @param rrfK rrf: the rank constant k, 1 to 1000 (default 10)
 * @param vectorWeight rrf: weight of the vector ranking (default 2)
 * @param bm25Weight rrf: weight of the keyword ranking (default 1)
 * @param offset results to skip, for pagination (default 0)
 * @param explain add each retriever's rank and score to every result (default false)
 * @param sourceTypes only chunks of these source types (e.g. {@code doc}, {@code code})
 * @param languages only chunks of these languages
 * @param filePaths only chunks whose source matches one of these globs
 * @param documentIds only chunks of these documents
 * @param metadata only chunks whose metadata has these values ({@code {"key": "v"}} or {@code
 *     {"key": ["v", "w"]}})
 * @param filter a filter expression (see {@link FilterLanguage})
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
    @JsonProperty("bm25_weight") Double bm25Weight,
    @JsonProperty("offset") Integer offset,
    @JsonProperty("explain") Boolean explain,
    @JsonProperty("source_types") List<String> sourceTypes,
    @JsonProperty("languages") List<String> languages,
    @JsonProperty("file_paths") List<String> filePaths,
    @JsonProperty("document_ids") List<String> documentIds,
    @JsonProperty("metadata") Map<String, JsonNode> metadata,
    @JsonProperty("filter") JsonNode filter) {

  /** The index a request without {@code index} searches. */
  public static final String DEFAULT_INDEX = "docs";

  private static final String NOT_A_REQUEST =
      "the body must be a JSON object with at least a \"query\" field";

  /**
   * The request a JSON body (or MCP tool arguments) describes.
   *
   * @throws InvalidRequestException naming an unknown field or a field of the wrong type
   */
  public static QueryRequest fromJson(String json) {
    try {
      return fromJson(QueryApi.JSON.readTree(json));
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(NOT_A_REQUEST);
    }
  }

  /**
   * The request a JSON object describes.
   *
   * @throws InvalidRequestException naming an unknown field or a field of the wrong type
   */
  public static QueryRequest fromJson(JsonNode json) {
    QueryRequest request;
    try {
      request = json == null ? null : QueryApi.JSON.treeToValue(json, QueryRequest.class);
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidRequestException("unknown field '" + e.getPropertyName() + "'");
    } catch (JsonMappingException e) {
      // a wrong type, or a number past its type's range (offset 2^40), which Jackson wraps with
      // the path of the field
      String field = e.getPath().isEmpty() ? null : e.getPath().get(0).getFieldName();
      throw new InvalidRequestException(
          field == null
              ? NOT_A_REQUEST
              : "field '" + field + "' has the wrong type, or a number out of its range");
    } catch (JsonProcessingException e) {
      throw new InvalidRequestException(NOT_A_REQUEST);
    }
    if (request == null) {
      throw new InvalidRequestException(NOT_A_REQUEST);
    }
    return request;
  }

  /** A request with nothing but the query text (defaults for everything else). */
  public static QueryRequest of(String query) {
    return new QueryRequest(
        query, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
        null, null, null);
  }

  /**
   * The validated search.
   *
   * @param backendOverride the backend the (admin) caller asked for, empty for the primary
   * @throws InvalidRequestException naming the first invalid field
   */
  public SearchRequest toSearch(Optional<Backend> backendOverride) {
    return new SearchRequest(
        query,
        indexName(),
        searchMode(),
        topK == null ? SearchRequest.DEFAULT_TOP_K : topK,
        offset == null ? 0 : offset,
        similarityThreshold == null ? 0.0 : similarityThreshold,
        toFilter(),
        Boolean.TRUE.equals(explain),
        backendOverride);
  }

  /** The index to search: {@code index}, or {@link #DEFAULT_INDEX} when it is blank. */
  public String indexName() {
    return index == null || index.isBlank() ? DEFAULT_INDEX : index.strip();
  }

  /** The filter of the shorthands and the expression together. */
  public Filter toFilter() {
    return FilterLanguage.parse(sourceTypes, languages, documentIds, filePaths, metadata, filter);
  }

  private SearchMode searchMode() {
    String name = mode == null ? "vector" : mode.strip().toLowerCase(Locale.ROOT);
    return switch (name) {
      case "vector" -> new SearchMode.Vector();
      case "bm25" -> new SearchMode.Bm25();
      case "hybrid" -> alpha == null ? SearchMode.Hybrid.DEFAULT : new SearchMode.Hybrid(alpha);
      case "rrf" ->
          new SearchMode.Rrf(
              rrfK == null ? SearchMode.Rrf.DEFAULT.k() : rrfK,
              vectorWeight == null ? SearchMode.Rrf.DEFAULT.vectorWeight() : vectorWeight,
              bm25Weight == null ? SearchMode.Rrf.DEFAULT.bm25Weight() : bm25Weight);
      default ->
          throw new InvalidRequestException(
              "mode must be one of " + SearchMode.NAMES + ", not '" + mode + "'");
    };
  }
}
