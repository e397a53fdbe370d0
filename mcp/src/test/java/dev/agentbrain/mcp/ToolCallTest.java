package dev.agentbrain.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.query.Access;
import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.ApiError;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ToolCallTest {

  private static final ApiAuth TOKENS = ApiAuth.of("reader", "admin");

  private static final ToolDefinition ECHO =
      new ToolDefinition(
          "echo",
          "Answers its argument.",
          InputSchema.object().requiredString("text", "What to answer."),
          Access.READ,
          true,
          (arguments, caller) -> Map.of("text", arguments.get("text")));

  @Test
  @DisplayName("a tool's answer is structured content and the same JSON as text")
  void answer() {
    McpSchema.CallToolResult result =
        AgentBrainMcp.call(ECHO, new Caller(TOKENS, "Bearer reader"), Map.of("text", "hi"));

    assertThat(result.isError()).isFalse();
    assertThat(result.structuredContent()).isEqualTo(Map.of("text", "hi"));
    assertThat(((McpSchema.TextContent) result.content().get(0)).text()).contains("\"hi\"");
  }

  @Test
  @DisplayName("an unknown argument is refused in the words of POST /query")
  void unknownArgument() {
    McpSchema.CallToolResult result =
        AgentBrainMcp.call(ECHO, new Caller(TOKENS, "Bearer reader"), Map.of("txet", "hi"));

    assertError(result, 400, "unknown field 'txet'");
  }

  @Test
  @DisplayName("without a token, or without the admin token for an admin tool, the API's 401/403")
  void tokens() {
    ToolDefinition adminTool =
        new ToolDefinition(
            "admin_only",
            "Needs the admin token.",
            InputSchema.object(),
            Access.ADMIN,
            true,
            (arguments, caller) -> Map.of());

    assertError(
        AgentBrainMcp.call(ECHO, new Caller(TOKENS, null), Map.of("text", "hi")),
        401,
        "this API needs a token: send the header 'Authorization: Bearer <token>'");
    assertError(
        AgentBrainMcp.call(adminTool, new Caller(TOKENS, "Bearer reader"), Map.of()),
        403,
        "this needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    assertThat(AgentBrainMcp.call(adminTool, new Caller(ApiAuth.NONE, null), Map.of()).isError())
        .as("stdio: the local user is trusted")
        .isFalse();
  }

  @Test
  @DisplayName("a failure that is not the API's says only that the log has it, no stack trace")
  void internalError() {
    ToolDefinition failing =
        new ToolDefinition(
            "failing",
            "Fails.",
            InputSchema.object(),
            Access.READ,
            true,
            (arguments, caller) -> {
              throw new IllegalStateException("org.postgresql.util.PSQLException: secret detail");
            });

    McpSchema.CallToolResult result =
        AgentBrainMcp.call(failing, new Caller(ApiAuth.NONE, null), Map.of());

    assertError(result, 500, ApiError.INTERNAL.detail());
    assertThat(result.toString()).doesNotContain("PSQLException");
  }

  @Test
  @DisplayName("the input schema lists every property, the required ones, and no others")
  void schema() {
    Map<String, Object> schema = ECHO.schema().toMap();

    assertThat(schema)
        .containsEntry("type", "object")
        .containsEntry("required", java.util.List.of("text"))
        .containsEntry("additionalProperties", false);
    assertThat(ECHO.schema().names()).containsExactly("text");
  }

  private static void assertError(McpSchema.CallToolResult result, int status, String detail) {
    assertThat(result.isError()).isTrue();
    assertThat(((McpSchema.TextContent) result.content().get(0)).text()).isEqualTo(detail);
    Map<?, ?> body = (Map<?, ?>) result.structuredContent();
    assertThat(body.get("status")).isEqualTo(status);
    assertThat(body.get("detail")).isEqualTo(detail);
  }
}
