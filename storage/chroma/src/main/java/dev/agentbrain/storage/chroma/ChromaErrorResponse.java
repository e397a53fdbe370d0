package dev.agentbrain.storage.chroma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Chroma's answer to a request it did not carry out, kept as the cause of a storage error so logs
 * show what the server said while the user sees a plain message.
 */
final class ChromaErrorResponse extends RuntimeException {

  private final String error;

  ChromaErrorResponse(String method, String path, int status, String body) {
    super("%s %s answered HTTP %d: %s".formatted(method, path, status, body));
    this.error = errorName(body);
  }

  /** Chroma's error type, e.g. {@code InvalidArgumentError}, or {@code ""}. */
  String error() {
    return error;
  }

  private static String errorName(String body) {
    try {
      JsonNode node = new ObjectMapper().readTree(body);
      return node == null ? "" : node.path("error").asText("");
    } catch (JsonProcessingException e) {
      return "";
    }
  }
}
