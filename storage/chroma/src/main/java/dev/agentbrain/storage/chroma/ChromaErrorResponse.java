package dev.agentbrain.storage.chroma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Failures;
import dev.agentbrain.retry.KnownFailure;

/**
 * Chroma's answer to a request it did not carry out, kept as the cause of a storage error so logs
 * show what the server said while the user sees a plain message.
 */
final class ChromaErrorResponse extends RuntimeException implements KnownFailure {

  private final String error;
  private final int status;

  ChromaErrorResponse(String method, String path, int status, String body) {
    super("%s %s answered HTTP %d: %s".formatted(method, path, status, body));
    this.error = errorName(body);
    this.status = status;
  }

  /** As {@link Failures#ofHttpStatus} says of the status Chroma answered with. */
  @Override
  public Failure.Kind failureKind() {
    return Failures.ofHttpStatus(status);
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
