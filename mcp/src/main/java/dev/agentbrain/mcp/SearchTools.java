package dev.agentbrain.mcp;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.config.Backend;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.ChunkView;
import dev.agentbrain.query.QueryRequest;
import dev.agentbrain.query.QueryResponse;
import dev.agentbrain.query.QueryResult;
import dev.agentbrain.query.SearchMode;
import dev.agentbrain.query.SearchRequest;
import dev.agentbrain.query.SearchService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code search_documents}, {@code query_count} and {@code explain_result}: the searches of {@code
 * /query} and {@code /query/count}, run by the same {@link SearchService}.
 *
 * <p>Where Agent Brain's MCP clients expect other defaults than {@code /query} has, the tool takes
 * Agent Brain's: mode {@code hybrid} (the API's is {@code vector}); {@code top_k} 5 is the same in
 * both. Every result carries Agent Brain's {@code rerank_score} and {@code original_rank}, {@code
 * null} because this service does not rerank.
 */
final class SearchTools {

  /** Agent Brain's default search mode, which its MCP clients rely on. */
  static final String DEFAULT_MODE = "hybrid";

  private static final int EXPLAIN_PAGE = SearchRequest.MAX_TOP_K;

  private final SearchService search;

  SearchTools(SearchService search) {
    this.search = search;
  }

  List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "search_documents",
            "Search the indexed documents and code. Returns the best chunks first, each with its"
                + " text, source path, score (0-1, higher is better), vector_score and bm25_score,"
                + " chunk_id, and next_offset for the next page (null on the last page). Modes:"
                + " hybrid (default: vector and BM25 scores mixed by alpha), vector (semantic),"
                + " bm25 (exact words, names, identifiers), rrf (reciprocal rank fusion).",
            filters(
                fusion(
                    InputSchema.object()
                        .requiredString("query", "What to search for, 1 to 8000 characters.")
                        .integer("top_k", "Results to return.", 1, SearchRequest.MAX_TOP_K, 5)
                        .integer(
                            "offset",
                            "Results to skip, for the next page: the previous answer's next_offset."
                                + " offset + top_k may not pass 1000.",
                            0,
                            SearchRequest.MAX_DEPTH - 1,
                            0)
                        .choice("mode", "How to rank.", SearchMode.NAMES, DEFAULT_MODE)
                        .number(
                            "similarity_threshold",
                            "Leave out results scoring below this.",
                            0,
                            1,
                            0)
                        .bool(
                            "explain",
                            "Add each retriever's rank and score to every result (see also"
                                + " explain_result)."))),
            Access.READ,
            true,
            this::searchDocuments),
        new ToolDefinition(
            "query_count",
            "Count the chunks of an index that match the filters (all chunks without filters)."
                + " Returns index, backend and count.",
            filters(InputSchema.object()),
            Access.READ,
            true,
            this::count),
        new ToolDefinition(
            "explain_result",
            "Explain why a chunk ranks where it does for a query: its rank in the fused result,"
                + " its rank and score in the vector and in the BM25 ranking, and the fusion that"
                + " combined them. Looks through the first 1000 results.",
            filters(
                fusion(
                    InputSchema.object()
                        .requiredString("query", "The query the chunk was found with.")
                        .requiredString(
                            "chunk_id", "The chunk to explain (chunk_id of a search result).")
                        .choice("mode", "How to rank.", SearchMode.NAMES, DEFAULT_MODE))),
            Access.READ,
            true,
            this::explain));
  }

  /** The arguments of hybrid and rrf, with the defaults of a request that leaves them out. */
  private static InputSchema fusion(InputSchema schema) {
    SearchMode.Hybrid hybrid = SearchMode.Hybrid.DEFAULT;
    SearchMode.Rrf rrf = SearchMode.Rrf.DEFAULT;
    return schema
        .number(
            "alpha",
            "hybrid: weight of the vector score against BM25 on their stored 0-1 scores, 0 (BM25"
                + " only) to 1 (vector only). Leave it out for the tuned default: alpha "
                + hybrid.alpha()
                + " on "
                + hybrid.normalisation().name()
                + "-normalised scores"
                + (hybrid.instructedQuery()
                    ? ""
                    : ", the query embedded without the model's instruction")
                + ", chosen on SciFact's train split.",
            0,
            1)
        .integer("rrf_k", "rrf: the rank constant k.", 1, 1000, rrf.k())
        .number("vector_weight", "rrf: weight of the vector ranking.", 0, 100, rrf.vectorWeight())
        .number("bm25_weight", "rrf: weight of the BM25 ranking.", 0, 100, rrf.bm25Weight());
  }

  /** The index, backend and filter arguments every search and count takes. */
  private static InputSchema filters(InputSchema schema) {
    return schema
        .string("index", "The logical index to search (default docs).")
        .string(
            "backend",
            "postgres or chroma instead of the primary backend (needs the admin token when the"
                + " API has tokens).")
        .strings("source_types", "Only these source types: doc, code.")
        .strings("languages", "Only these languages, e.g. markdown, java, python.")
        .strings("file_paths", "Only sources matching one of these globs, e.g. docs/**/*.md.")
        .strings("document_ids", "Only chunks of these documents.")
        .object(
            "metadata",
            "Only chunks whose metadata has these values: {\"key\": \"v\"} or {\"key\": [\"v\","
                + " \"w\"]}.")
        .object(
            "filter",
            "A filter expression: {\"field\": F, \"eq\": \"v\"}, {\"field\": F, \"in\": [...]},"
                + " {\"field\": \"source\", \"glob\": \"docs/**/*.md\"}, {\"and\": [...]},"
                + " {\"or\": [...]}; F is source, source_type, language, document_id or"
                + " metadata.KEY.");
  }

  private Map<String, Object> searchDocuments(Map<String, Object> arguments, Caller caller) {
    QueryRequest request = request(arguments);
    QueryResponse response = search.search(request.toSearch(backend(request, caller)));
    return withAgentBrainFields(response);
  }

  private Map<String, Object> count(Map<String, Object> arguments, Caller caller) {
    QueryRequest request = request(arguments);
    String index = request.indexName();
    Optional<Backend> backend = backend(request, caller);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("index", index);
    body.put("backend", backend.orElse(search.primary()).id());
    body.put("count", search.count(index, request.toFilter(), backend));
    return body;
  }

  private Map<String, Object> explain(Map<String, Object> arguments, Caller caller) {
    Map<String, Object> rest = new LinkedHashMap<>(arguments);
    String chunkId = String.valueOf(rest.remove("chunk_id"));
    QueryRequest request = request(rest);
    String index = request.indexName();
    Optional<Backend> backend = backend(request, caller);
    ChunkView chunk =
        ChunkView.of(
            search.chunk(index, chunkId, backend), index, backend.orElse(search.primary()).id());
    for (int offset = 0; offset < SearchRequest.MAX_DEPTH; offset += EXPLAIN_PAGE) {
      SearchRequest page =
          new SearchRequest(
              request.query(),
              index,
              request.toSearch(backend).mode(),
              EXPLAIN_PAGE,
              offset,
              0,
              request.toFilter(),
              true,
              backend);
      QueryResponse response = search.search(page);
      List<QueryResult> results = response.results();
      for (int i = 0; i < results.size(); i++) {
        QueryResult result = results.get(i);
        if (result.chunkId().equals(chunkId)) {
          Map<String, Object> body = new LinkedHashMap<>();
          body.put("chunk_id", chunkId);
          body.put("found", true);
          body.put("rank", offset + i + 1);
          body.put("score", result.score());
          body.put("vector_score", result.vectorScore());
          body.put("bm25_score", result.bm25Score());
          body.put("explain", result.explain());
          body.put("backend", response.backend());
          body.put("chunk", chunk);
          return body;
        }
      }
      if (response.nextOffset() == null) {
        break;
      }
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("chunk_id", chunkId);
    body.put("found", false);
    body.put(
        "detail",
        "the chunk is not among the first "
            + SearchRequest.MAX_DEPTH
            + " results of this query in this mode and with these filters: it does not match"
            + " the query well enough, or a filter excludes it");
    body.put("chunk", chunk);
    return body;
  }

  /** The request the arguments describe, with Agent Brain's defaults where the API's differ. */
  private static QueryRequest request(Map<String, Object> arguments) {
    ObjectNode json = McpJson.MAPPER.valueToTree(arguments);
    if (!json.hasNonNull("mode")) {
      json.put("mode", DEFAULT_MODE);
    }
    return QueryRequest.fromJson(json);
  }

  private Optional<Backend> backend(QueryRequest request, Caller caller) {
    return search.backendOverride(request.backend(), caller.admin());
  }

  /** The response with Agent Brain's rerank fields on every result. */
  private static Map<String, Object> withAgentBrainFields(QueryResponse response) {
    Map<String, Object> body = McpJson.toMap(response);
    List<Object> results = new ArrayList<>();
    for (QueryResult result : response.results()) {
      Map<String, Object> map = McpJson.toMap(result);
      // no reranker runs here: Agent Brain's clients read null as "not reranked"
      map.put("rerank_score", null);
      map.put("original_rank", null);
      results.add(map);
    }
    body.put("results", results);
    return body;
  }
}
