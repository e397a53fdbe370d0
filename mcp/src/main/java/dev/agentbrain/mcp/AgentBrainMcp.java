package dev.agentbrain.mcp;

import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.ApiError;
import dev.agentbrain.query.ErrorTable;
import dev.agentbrain.query.InvalidRequestException;
import dev.agentbrain.query.QueryServices;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServlet;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Agent Brain's MCP server, on the official MCP Java SDK: the tools and resources over the query
 * services, served over stdio ({@code agent-brain mcp}) or Streamable HTTP at {@value #PATH} on the
 * query API's own port. Tools call the same services as the HTTP routes and answer errors with the
 * API's wording: a tool result marked as an error whose text is the API's {@code detail}, never a
 * stack trace.
 */
public final class AgentBrainMcp {

  /** Where the query API serves MCP over Streamable HTTP. */
  public static final String PATH = "/mcp";

  private static final Logger LOG = LoggerFactory.getLogger(AgentBrainMcp.class);
  private static final String AUTHORIZATION = "authorization";
  private static final String INSTRUCTIONS =
      "Agent Brain searches indexed documents and code. Use search_documents to find passages"
          + " (hybrid mode by default; bm25 for exact names and identifiers), query_count to"
          + " size an index or a filter, explain_result to see why a chunk ranks where it does,"
          + " and server_health when a search fails. index_folder and add_documents index as jobs:"
          + " follow them with wait_for_job until done, then search. Read agentbrain://indexes for"
          + " the indexes.";

  private final List<ToolDefinition> tools;
  private final IndexResources resources;
  private final McpJsonMapper json = new JacksonMcpJsonMapper(McpJson.MAPPER);

  /**
   * @param services what the query API's routes call
   * @param features what this process offers beyond them
   */
  public AgentBrainMcp(QueryServices services, McpFeatures features) {
    List<ToolDefinition> all = new ArrayList<>(new SearchTools(services.search()).tools());
    features.jobs().ifPresent(jobs -> all.addAll(new JobTools(jobs).tools()));
    all.addAll(new ServiceTools(services, features).tools());
    this.tools = List.copyOf(all);
    this.resources = new IndexResources(services.search(), services.catalog());
  }

  /** The names of the tools, in the order they are listed. */
  public List<String> toolNames() {
    return tools.stream().map(ToolDefinition::name).toList();
  }

  /**
   * Serves one client over a pair of streams (stdio) until its input ends, then closes. The client
   * is the local user who started the process, trusted as the API trusts a caller on a loopback
   * address without tokens: every tool is open to it.
   *
   * @throws InterruptedException when interrupted before the input ended
   */
  public void serve(InputStream in, OutputStream out) throws InterruptedException {
    CountDownLatch ended = new CountDownLatch(1);
    McpSyncServer server =
        configure(
                McpServer.sync(
                    new StdioServerTransportProvider(json, new EndSignalling(in, ended), out)),
                ApiAuth.NONE)
            .build();
    try {
      ended.await();
    } finally {
      server.closeGracefully();
    }
  }

  /**
   * The Streamable HTTP transport as a servlet for {@value #PATH}: each call is judged by the
   * {@code Authorization} header of its request, with the API's token rules ({@code auth}).
   * Destroying the servlet closes the server's sessions.
   */
  public HttpServlet servlet(ApiAuth auth) {
    HttpServletStreamableServerTransportProvider transport =
        HttpServletStreamableServerTransportProvider.builder()
            .jsonMapper(json)
            .mcpEndpoint(PATH)
            .contextExtractor(
                request ->
                    McpTransportContext.create(
                        Map.of(
                            AUTHORIZATION,
                            Objects.requireNonNullElse(request.getHeader("Authorization"), ""))))
            .build();
    // the server lives as long as its transport: destroying the servlet closes every session
    configure(McpServer.sync(transport), auth).build();
    return transport;
  }

  private <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(
      McpServer.SyncSpecification<S> spec, ApiAuth auth) {
    spec.serverInfo("agent-brain", "0.1.0")
        .instructions(INSTRUCTIONS)
        .capabilities(
            McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build())
        // arguments are checked by the same code as /query, so errors read as the API's do
        .validateToolInputs(false);
    for (ToolDefinition tool : tools) {
      spec.tools(
          new McpServerFeatures.SyncToolSpecification(
              sdkTool(tool),
              (exchange, request) -> call(tool, caller(auth, exchange), request.arguments())));
    }
    spec.resources(
        new McpServerFeatures.SyncResourceSpecification(
            resources.indexList(),
            (exchange, request) -> resources.read(request.uri(), caller(auth, exchange))));
    spec.resourceTemplates(
        new McpServerFeatures.SyncResourceTemplateSpecification(
            resources.chunk(),
            (exchange, request) -> resources.read(request.uri(), caller(auth, exchange))));
    return spec;
  }

  private static McpSchema.Tool sdkTool(ToolDefinition tool) {
    return McpSchema.Tool.builder()
        .name(tool.name())
        .description(tool.description())
        .inputSchema(tool.schema().toMap())
        .annotations(
            new McpSchema.ToolAnnotations(
                null, tool.readOnly(), !tool.readOnly(), tool.readOnly(), false, null))
        .build();
  }

  private static Caller caller(ApiAuth auth, McpSyncServerExchange exchange) {
    Object header = exchange.transportContext().get(AUTHORIZATION);
    return new Caller(auth, header == null ? null : header.toString());
  }

  /** Runs a tool: its answer as structured content and as JSON text, or the API's error. */
  static McpSchema.CallToolResult call(
      ToolDefinition tool, Caller caller, Map<String, Object> arguments) {
    try {
      caller.require(tool.access());
      Map<String, Object> given = arguments == null ? Map.of() : arguments;
      for (String name : given.keySet()) {
        if (!tool.schema().names().contains(name)) {
          throw new InvalidRequestException("unknown field '" + name + "'");
        }
      }
      Map<String, Object> result = McpJson.toMap(tool.call().apply(given, caller));
      return McpSchema.CallToolResult.builder()
          .structuredContent(result)
          .addTextContent(McpJson.text(result))
          .isError(false)
          .build();
    } catch (RuntimeException e) {
      return error(
          ErrorTable.answer(e)
              .orElseGet(
                  () -> {
                    LOG.error("MCP tool {} failed", tool.name(), e);
                    return ApiError.INTERNAL;
                  }));
    }
  }

  private static McpSchema.CallToolResult error(ApiError e) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("status", e.status());
    body.put("detail", e.detail());
    e.retryAfterSeconds().ifPresent(s -> body.put("retry_after_seconds", s));
    return McpSchema.CallToolResult.builder()
        .structuredContent(body)
        .addTextContent(e.detail())
        .isError(true)
        .build();
  }

  /** Counts the latch down when the client closes our input: the session is over. */
  private static final class EndSignalling extends FilterInputStream {
    private final CountDownLatch ended;

    EndSignalling(InputStream in, CountDownLatch ended) {
      super(in);
      this.ended = ended;
    }

    @Override
    public int read() throws IOException {
      return ended(super.read());
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      return ended(super.read(buffer, offset, length));
    }

    private int ended(int read) {
      if (read < 0) {
        ended.countDown();
      }
      return read;
    }
  }
}
