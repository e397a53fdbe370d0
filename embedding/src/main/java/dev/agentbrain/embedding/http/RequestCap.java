package dev.agentbrain.embedding.http;

/**
 * The most one request to an embedding API may carry; larger batches are split into several
 * requests.
 *
 * @param maxTexts texts per request, at least 1
 * @param maxBytes bytes of the JSON request body, at least 1 KiB
 */
public record RequestCap(int maxTexts, int maxBytes) {

  public RequestCap {
    if (maxTexts < 1) {
      throw new IllegalArgumentException("a request must carry at least 1 text, not " + maxTexts);
    }
    if (maxBytes < 1024) {
      throw new IllegalArgumentException(
          "a request must be allowed at least 1024 bytes, not " + maxBytes);
    }
  }
}
