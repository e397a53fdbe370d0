package dev.agentbrain.mcp;

import dev.agentbrain.query.Access;
import dev.agentbrain.query.ApiError;
import dev.agentbrain.query.ChunkView;
import dev.agentbrain.query.ErrorTable;
import dev.agentbrain.query.IndexCatalog;
import dev.agentbrain.query.NotFoundException;
import dev.agentbrain.query.SearchService;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The resources: the index list ({@value #INDEXES}, as {@code GET /indexes}) and one chunk by id
 * ({@value #CHUNK}, as {@code GET /query/chunk/{id}}), both JSON, read from the primary backend.
 */
final class IndexResources {

  static final String INDEXES = "agentbrain://indexes";
  static final String CHUNK = "agentbrain://indexes/{index}/chunks/{chunk_id}";

  private static final Pattern CHUNK_URI =
      Pattern.compile("agentbrain://indexes/([^/]+)/chunks/(.+)");
  private static final String JSON = "application/json";

  private final SearchService search;
  private final IndexCatalog catalog;

  IndexResources(SearchService search, IndexCatalog catalog) {
    this.search = search;
    this.catalog = catalog;
  }

  McpSchema.Resource indexList() {
    return McpSchema.Resource.builder()
        .uri(INDEXES)
        .name("indexes")
        .title("Indexes")
        .description(
            "Every logical index: its live contract (model, dimensions, chunking), its chunks per"
                + " backend, its versions, and which backend serves it.")
        .mimeType(JSON)
        .build();
  }

  McpSchema.ResourceTemplate chunk() {
    return McpSchema.ResourceTemplate.builder()
        .uriTemplate(CHUNK)
        .name("chunk")
        .title("Chunk")
        .description(
            "One chunk by its chunk_id (from a search result): text, source, document, position,"
                + " heading path and metadata.")
        .mimeType(JSON)
        .build();
  }

  /**
   * Reads a resource for a caller.
   *
   * @throws McpError with the API's wording: resource not found for a 404, invalid params for the
   *     rest of the 4xx, internal error otherwise
   */
  McpSchema.ReadResourceResult read(String uri, Caller caller) {
    try {
      caller.require(Access.READ);
      Object body = body(uri).orElseThrow(() -> new NotFoundException("no resource " + uri));
      return new McpSchema.ReadResourceResult(
          List.of(new McpSchema.TextResourceContents(uri, JSON, McpJson.text(body))));
    } catch (RuntimeException e) {
      ApiError answer = ErrorTable.answer(e).orElseThrow(() -> e);
      int code =
          answer.status() == 404
              ? McpSchema.ErrorCodes.RESOURCE_NOT_FOUND
              : answer.status() < 500
                  ? McpSchema.ErrorCodes.INVALID_PARAMS
                  : McpSchema.ErrorCodes.INTERNAL_ERROR;
      throw McpError.builder(code).message(answer.detail()).build();
    }
  }

  private Optional<Object> body(String uri) {
    if (uri.equals(INDEXES)) {
      Map<String, Object> body = new LinkedHashMap<>();
      body.put("indexes", catalog.indexes());
      body.put("primary_backend", search.primary().id());
      return Optional.of(body);
    }
    Matcher chunk = CHUNK_URI.matcher(uri);
    if (chunk.matches()) {
      String index = decode(chunk.group(1));
      String id = decode(chunk.group(2));
      return Optional.of(
          ChunkView.of(search.chunk(index, id, Optional.empty()), index, search.primary().id()));
    }
    return Optional.empty();
  }

  private static String decode(String part) {
    return URLDecoder.decode(part, StandardCharsets.UTF_8);
  }
}
