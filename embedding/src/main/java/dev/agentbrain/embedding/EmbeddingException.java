package dev.agentbrain.embedding;

/**
 * The model could not embed a batch although its input was valid (the runtime or a remote provider
 * failed). The cause carries the provider's own error.
 */
public class EmbeddingException extends RuntimeException {

  public EmbeddingException(String message, Throwable cause) {
    super(message, cause);
  }
}
