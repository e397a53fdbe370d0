package dev.agentbrain.config;

import java.net.URI;
import java.util.List;
import java.util.Optional;

/**
 * The settings of one embedding service reached over HTTP, {@code AGENT_BRAIN_<PROVIDER>_*}: read
 * only when an index's model is served by that service, so {@link Settings#validate()} leaves them
 * alone; {@code agent-brain config} lists them after {@link Settings#ALL}.
 *
 * @param baseUrl the service's base URL
 * @param apiKey sent as a bearer token (secret)
 * @param dimensions vector length to ask for and insist on; none: the model's own
 * @param maxTokens most tokens one text may have
 * @param normalize whether vectors are scaled to unit length on arrival
 * @param timeoutMs for connecting and for each request's answer
 * @param maxRetries retries of a transient failure
 * @param retryBackoffMs pause before the first retry; it doubles per retry
 * @param retryMaxBackoffMs longest pause between retries
 * @param batchSize most texts per request
 * @param maxRequestBytes most bytes per request body
 * @param concurrency most requests in flight at once
 */
public record HttpEmbeddingSettings(
    Setting<URI> baseUrl,
    Setting<String> apiKey,
    Setting<Optional<Integer>> dimensions,
    Setting<Integer> maxTokens,
    Setting<Boolean> normalize,
    Setting<Integer> timeoutMs,
    Setting<Integer> maxRetries,
    Setting<Integer> retryBackoffMs,
    Setting<Integer> retryMaxBackoffMs,
    Setting<Integer> batchSize,
    Setting<Integer> maxRequestBytes,
    Setting<Integer> concurrency) {

  /**
   * OpenAI or any server speaking its {@code /v1/embeddings} API. 256 texts and 1 MiB per request
   * stay below OpenAI's 2,048 inputs and 300k tokens.
   */
  public static final HttpEmbeddingSettings OPENAI =
      declare(
          "OPENAI",
          "the OpenAI-compatible service",
          new Service("AGENT_BRAIN_OPENAI_BASE_URL", "https://api.openai.com"),
          new Limits(8191, 256, 1 << 20, 4, 30_000, 5));

  /**
   * A local Ollama server: it runs one request at a time per model, and its first request may wait
   * for the model to load, hence one request at a time and a long timeout.
   */
  public static final HttpEmbeddingSettings OLLAMA =
      declare(
          "OLLAMA",
          "Ollama",
          new Service("AGENT_BRAIN_OLLAMA_URL", "http://127.0.0.1:11434"),
          new Limits(2048, 32, 1 << 20, 1, 120_000, 3));

  /** Where a service answers by default, and the variable that moves it. */
  private record Service(String urlVariable, String defaultUrl) {}

  /** A service's defaults. */
  private record Limits(
      int maxTokens,
      int batchSize,
      int maxRequestBytes,
      int concurrency,
      int timeoutMs,
      int maxRetries) {}

  private static HttpEmbeddingSettings declare(
      String provider, String name, Service service, Limits limits) {
    String prefix = "AGENT_BRAIN_" + provider + "_";
    return new HttpEmbeddingSettings(
        Setting.of(
            service.urlVariable(), service.defaultUrl(), Parsers.httpUri(), name + ": base URL"),
        Setting.secret(prefix + "API_KEY", name + ": API key, sent as a bearer token (masked)"),
        Setting.of(
            prefix + "DIMENSIONS",
            "",
            Parsers.noneOr(Parsers.intRange(1, Integer.MAX_VALUE)),
            name + ": vector length to ask for and insist on; none: the model's own"),
        number(prefix + "MAX_TOKENS", limits.maxTokens(), 1, name + ": most tokens of one text"),
        Setting.of(
            prefix + "NORMALIZE",
            "true",
            Parsers.bool(),
            name + ": whether vectors are scaled to unit length (true or false)"),
        number(
            prefix + "TIMEOUT_MS",
            limits.timeoutMs(),
            1,
            name + ": timeout of connecting and of each request's answer (ms)"),
        number(
            prefix + "MAX_RETRIES",
            limits.maxRetries(),
            0,
            name + ": retries of a transient failure"),
        number(
            prefix + "RETRY_BACKOFF_MS",
            500,
            1,
            name + ": pause before the first retry, doubled per retry (ms)"),
        number(
            prefix + "RETRY_MAX_BACKOFF_MS",
            20_000,
            1,
            name + ": longest pause between retries, at least the first pause (ms)"),
        number(prefix + "BATCH_SIZE", limits.batchSize(), 1, name + ": most texts per request"),
        number(
            prefix + "MAX_REQUEST_BYTES",
            limits.maxRequestBytes(),
            1,
            name + ": most bytes of one request's body"),
        number(
            prefix + "CONCURRENCY",
            limits.concurrency(),
            1,
            name + ": most requests in flight at once"));
  }

  private static Setting<Integer> number(String env, int byDefault, int least, String doc) {
    return Setting.of(
        env, String.valueOf(byDefault), Parsers.intRange(least, Integer.MAX_VALUE), doc);
  }

  /** Every setting of this service, in the order of the record's components. */
  public List<Setting<?>> all() {
    return List.of(
        baseUrl,
        apiKey,
        dimensions,
        maxTokens,
        normalize,
        timeoutMs,
        maxRetries,
        retryBackoffMs,
        retryMaxBackoffMs,
        batchSize,
        maxRequestBytes,
        concurrency);
  }
}
