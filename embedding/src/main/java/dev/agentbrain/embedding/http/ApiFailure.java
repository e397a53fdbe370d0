package dev.agentbrain.embedding.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.Failures;
import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Why one request to an embedding API failed and whether trying again can help. This is the one
 * place that decides what is transient: connection failures, timeouts, HTTP 408, 429 and 5xx
 * (except 501). Everything else fails at once: when the service refuses every request until a
 * person acts (a refused key, an unknown model, no quota) as {@link OutOfService}, so that a
 * pipeline waits instead of giving up on its input; when it refuses this request, as {@link
 * Permanent}. {@code RemoteEmbeddingModel} reports them as the pipeline's failure kinds (transient,
 * broken, rejected).
 */
sealed interface ApiFailure {

  /**
   * What happened, completing "the embedding API at URL ...", e.g. "refused the key (HTTP 401)".
   */
  String problem();

  /** What a person should do about it. */
  String remedy();

  /** The underlying error, with the server's own words where it gave any; may be null. */
  Throwable cause();

  /** The pipeline's failure kind: transient, broken (out of service) or rejected (permanent). */
  default Failure.Kind kind() {
    return switch (this) {
      case Transient t -> Failure.Kind.TRANSIENT;
      case OutOfService o -> Failure.Kind.BROKEN;
      case Permanent p -> Failure.Kind.REJECTED;
    };
  }

  /** Worth another attempt, after {@code retryAfter} when the server said how long to wait. */
  record Transient(String problem, String remedy, Optional<Duration> retryAfter, Throwable cause)
      implements ApiFailure {}

  /**
   * Fails for every request until a person acts (a key, a model name, the account's quota): not
   * worth retrying now, but the same request succeeds once that is fixed.
   */
  record OutOfService(String problem, String remedy, Throwable cause) implements ApiFailure {}

  /** This request fails the same way however often it is tried. */
  record Permanent(String problem, String remedy, Throwable cause) implements ApiFailure {}

  /** Longest part of a server's error text kept for messages. */
  int DETAIL_CHARS = 300;

  /** Classifies an answer with a status outside 2xx. */
  static ApiFailure ofStatus(
      int status, HttpHeaders headers, byte[] body, HttpEmbeddingConfig config, Clock clock) {
    RemoteProvider provider = config.provider();
    String detail = detail(body, config);
    IOException cause = new IOException("HTTP " + status + ": " + detail);
    String model = "'" + config.model() + "'";
    return switch (status) {
      case 401, 403 ->
          new OutOfService(
              "refused the key (HTTP %d)".formatted(status),
              config.apiKey().isPresent()
                  ? "check %s: the key is wrong, revoked, or may not use model %s"
                      .formatted(provider.variable("API_KEY"), model)
                  : "set " + provider.variable("API_KEY"),
              // the server may echo part of the key, so its words stay out of the cause as well
              new IOException("HTTP " + status));
      case 404 ->
          new OutOfService(
              "does not know the model or the path (HTTP 404: %s)".formatted(detail),
              switch (provider) {
                case OPENAI ->
                    "check %s (the server, without /embeddings) and the model name %s"
                        .formatted(provider.urlVariable(), model);
                case OLLAMA ->
                    "pull the model with `ollama pull %s`, or check %s"
                        .formatted(config.model(), provider.urlVariable());
              },
              cause);
      case 413 ->
          new Permanent(
              "refused a request as too large (HTTP 413)",
              "lower %s or %s"
                  .formatted(
                      provider.variable("MAX_REQUEST_BYTES"), provider.variable("BATCH_SIZE")),
              cause);
      case 429 ->
          detail.contains("insufficient_quota")
              ? new OutOfService(
                  "has no quota left for this key (HTTP 429 insufficient_quota)",
                  "check the account's plan and billing, or use another key in "
                      + provider.variable("API_KEY"),
                  cause)
              : new Transient(
                  "rate-limited the requests (HTTP 429)",
                  "lower %s, raise %s, or raise the account's rate limits"
                      .formatted(
                          provider.variable("CONCURRENCY"), provider.variable("MAX_RETRIES")),
                  Failures.retryAfter(headers, clock),
                  cause);
      case 408 ->
          new Transient(
              "timed out the request (HTTP 408)",
              "lower " + provider.variable("BATCH_SIZE"),
              Failures.retryAfter(headers, clock),
              cause);
      default ->
          status >= 500 && status != 501
              ? new Transient(
                  "failed (HTTP %d: %s)".formatted(status, detail),
                  "check that the service is healthy and try again",
                  Failures.retryAfter(headers, clock),
                  cause)
              : new Permanent(
                  "rejected the request (HTTP %d: %s)".formatted(status, detail),
                  "check the model name %s and that every text fits %s=%d tokens"
                      .formatted(model, provider.variable("MAX_TOKENS"), config.maxTokens()),
                  cause);
    };
  }

  /** Classifies a request that got no answer. */
  static ApiFailure ofException(IOException e, HttpEmbeddingConfig config) {
    RemoteProvider provider = config.provider();
    if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException) {
      return new Transient(
          "cannot be reached ("
              + (e instanceof ConnectException ? "connection refused" : "connect timeout")
              + ")",
          switch (provider) {
            case OPENAI -> "check " + provider.urlVariable() + " and the network";
            case OLLAMA -> "start Ollama (`ollama serve`) or set " + provider.urlVariable();
          },
          Optional.empty(),
          e);
    }
    if (e instanceof HttpTimeoutException) {
      return new Transient(
          "did not answer within %d ms".formatted(config.timeout().toMillis()),
          "check that it is running and not overloaded, or raise %s or lower %s"
              .formatted(provider.variable("TIMEOUT_MS"), provider.variable("BATCH_SIZE")),
          Optional.empty(),
          e);
    }
    return new Transient(
        "dropped the connection", "check the server and the network", Optional.empty(), e);
  }

  /**
   * The server's own error text, short, on one line, without the key: OpenAI's {@code
   * error.message}, Ollama's {@code error}, or the start of the body.
   */
  private static String detail(byte[] body, HttpEmbeddingConfig config) {
    String text = new String(body, StandardCharsets.UTF_8);
    try {
      JsonNode error = RemoteEmbeddingModel.JSON.readTree(body).path("error");
      if (error.isTextual()) {
        text = error.asText();
      } else if (error.path("message").isTextual()) {
        text =
            error.path("message").asText()
                + (error.path("code").isTextual() ? " (" + error.path("code").asText() + ")" : "");
      }
    } catch (IOException e) {
      // not JSON: the body itself is the best detail there is
    }
    String oneLine = text.replaceAll("\\s+", " ").strip();
    String line = oneLine.isEmpty() ? "no details" : oneLine;
    String scrubbed = config.apiKey().map(key -> key.scrub(line)).orElse(line);
    return scrubbed.length() <= DETAIL_CHARS ? scrubbed : scrubbed.substring(0, DETAIL_CHARS) + "…";
  }
}
