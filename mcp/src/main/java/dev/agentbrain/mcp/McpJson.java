package dev.agentbrain.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.Map;

/** The one JSON mapper of the MCP server: tool arguments in, tool results and resources out. */
final class McpJson {

  static final ObjectMapper MAPPER = new ObjectMapper();

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private McpJson() {}

  /** A record or map as a JSON object of plain values (for structured tool results). */
  static Map<String, Object> toMap(Object value) {
    return MAPPER.convertValue(value, OBJECT);
  }

  static String text(Object value) {
    try {
      return MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a tool result could not be written as JSON", e);
    }
  }
}
