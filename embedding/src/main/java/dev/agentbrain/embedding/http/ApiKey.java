package dev.agentbrain.embedding.http;

import java.util.Optional;

/**
 * A secret that authenticates requests to an embedding API. It never shows itself: {@link
 * #toString} is masked, and only this package can read the value, to put it in a request header.
 */
public final class ApiKey {

  private static final String MASK = "****";

  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /** The key, or empty when {@code value} is blank (many local servers need none). */
  public static Optional<ApiKey> of(String value) {
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(new ApiKey(value));
  }

  String reveal() {
    return value;
  }

  /** {@code text} with every occurrence of the key masked, for servers that echo it back. */
  String scrub(String text) {
    return text.replace(value, MASK);
  }

  @Override
  public String toString() {
    return MASK;
  }
}
