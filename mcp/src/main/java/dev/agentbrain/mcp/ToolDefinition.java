package dev.agentbrain.mcp;

import dev.agentbrain.query.Access;
import java.util.Map;
import java.util.Objects;

/**
 * One MCP tool: what an agent sees of it (name, description, argument schema) and what runs.
 *
 * @param name the tool's name, Agent Brain's where the meaning is the same
 * @param description what it does and returns, for the agent that chooses it
 * @param schema its arguments
 * @param access who may call it when the query API's bearer tokens are on
 * @param readOnly whether it changes nothing (a hint to clients)
 * @param call what it does with the arguments: returns a JSON object (a map or a record)
 */
record ToolDefinition(
    String name,
    String description,
    InputSchema schema,
    Access access,
    boolean readOnly,
    Call call) {

  /**
   * The work of a tool; a failure {@link dev.agentbrain.query.ErrorTable} knows is the agent's
   * error.
   */
  @FunctionalInterface
  interface Call {
    Object apply(Map<String, Object> arguments, Caller caller);
  }

  ToolDefinition {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(call, "call");
  }
}
