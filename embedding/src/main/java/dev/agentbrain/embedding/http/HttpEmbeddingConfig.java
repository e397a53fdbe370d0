package dev.agentbrain.embedding.http;

import dev.agentbrain.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Everything needed to embed with a model served over HTTP. The API key is an {@link ApiKey}, so
 * this record's {@code toString} never shows it.
 *
 * @param provider which API the server speaks
 * @param baseUrl the server, e.g. {@code https://api.openai.com} or {@code http://127.0.0.1:11434}
 * @param model the model name the server knows, e.g. {@code text-embedding-3-small}
 * @param apiKey sent as a bearer token when present
 * @param dimensions the vector length to ask for and to insist on; when empty, the model's own
 *     length, learned from one request when the model is opened
 * @param maxTokens most tokens one text may have, as estimated by {@link
 *     RemoteEmbeddingModel#countTokens}
 * @param normalize whether vectors are scaled to unit L2 norm on arrival
 * @param timeout for connecting and for each request's answer
 * @param retries what is done about transient failures
 * @param requestCap most texts and bytes per request
 * @param concurrency most requests in flight at once, over all callers of one model
 */
public record HttpEmbeddingConfig(
    RemoteProvider provider,
    URI baseUrl,
    String model,
    Optional<ApiKey> apiKey,
    OptionalInt dimensions,
    int maxTokens,
    boolean normalize,
    Duration timeout,
    RetryPolicy retries,
    RequestCap requestCap,
    int concurrency) {

  /** Default pause before the first retry; it doubles per retry up to {@link #MAX_BACKOFF}. */
  public static final Duration INITIAL_BACKOFF = Duration.ofMillis(500);

  /** Default longest pause between retries. */
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(20);

  public HttpEmbeddingConfig {
    String scheme = baseUrl.getScheme();
    if (!("http".equals(scheme) || "https".equals(scheme)) || baseUrl.getHost() == null) {
      throw new IllegalArgumentException(
          "the %s base URL must be an http(s) URL such as %s, not '%s'"
              .formatted(provider.id(), provider.defaultUrl(), baseUrl));
    }
    if (model.isBlank()) {
      throw new IllegalArgumentException("the " + provider.id() + " model name is blank");
    }
    if (dimensions.isPresent() && dimensions.getAsInt() < 1) {
      throw new IllegalArgumentException(
          "dimensions must be at least 1, not " + dimensions.getAsInt());
    }
    if (maxTokens < 1) {
      throw new IllegalArgumentException("max tokens must be at least 1, not " + maxTokens);
    }
    if (timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("the timeout must be positive, not " + timeout);
    }
    if (concurrency < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, not " + concurrency);
    }
  }

  /**
   * The provider's defaults for {@code model} at {@code baseUrl}, without a key: vectors
   * normalised, dimensions learned from the model.
   */
  public static HttpEmbeddingConfig defaults(RemoteProvider provider, URI baseUrl, String model) {
    return new HttpEmbeddingConfig(
        provider,
        baseUrl,
        model,
        Optional.empty(),
        OptionalInt.empty(),
        provider.defaultMaxTokens(),
        true,
        provider.defaultTimeout(),
        new RetryPolicy(provider.defaultMaxRetries(), INITIAL_BACKOFF, MAX_BACKOFF),
        provider.defaultRequestCap(),
        provider.defaultConcurrency());
  }

  /**
   * Reads the settings of {@code provider} from environment variables, each optional: the base URL
   * from {@link RemoteProvider#urlVariable()}, and {@code AGENT_BRAIN_<PROVIDER>_} followed by
   * {@code API_KEY}, {@code DIMENSIONS}, {@code MAX_TOKENS}, {@code NORMALIZE} (true/false), {@code
   * TIMEOUT_MS}, {@code MAX_RETRIES}, {@code RETRY_BACKOFF_MS}, {@code RETRY_MAX_BACKOFF_MS},
   * {@code BATCH_SIZE} (texts per request), {@code MAX_REQUEST_BYTES} and {@code CONCURRENCY}.
   *
   * @throws IllegalArgumentException naming the variable when a value cannot be used
   */
  public static HttpEmbeddingConfig fromEnvironment(
      RemoteProvider provider, String model, Map<String, String> environment) {
    EnvironmentReader env = new EnvironmentReader(provider, environment);
    HttpEmbeddingConfig defaults =
        defaults(provider, env.url(provider.urlVariable(), provider.defaultUrl()), model);
    Duration initialBackoff = env.millis("RETRY_BACKOFF_MS", INITIAL_BACKOFF);
    return new HttpEmbeddingConfig(
        provider,
        defaults.baseUrl(),
        model,
        ApiKey.of(environment.get(provider.variable("API_KEY"))),
        env.optionalPositive("DIMENSIONS"),
        env.positive("MAX_TOKENS", defaults.maxTokens()),
        env.bool("NORMALIZE", defaults.normalize()),
        env.millis("TIMEOUT_MS", defaults.timeout()),
        new RetryPolicy(
            env.atLeastZero("MAX_RETRIES", defaults.retries().maxRetries()),
            initialBackoff,
            env.millis("RETRY_MAX_BACKOFF_MS", max(MAX_BACKOFF, initialBackoff))),
        new RequestCap(
            env.positive("BATCH_SIZE", defaults.requestCap().maxTexts()),
            env.positive("MAX_REQUEST_BYTES", defaults.requestCap().maxBytes())),
        env.positive("CONCURRENCY", defaults.concurrency()));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Parses one provider's variables; every complaint names the variable. */
  private record EnvironmentReader(RemoteProvider provider, Map<String, String> environment) {

    URI url(String variable, String fallback) {
      String value = environment.getOrDefault(variable, "").strip();
      try {
        return URI.create(value.isEmpty() ? fallback : value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "%s must be a URL such as %s, not '%s'".formatted(variable, fallback, value), e);
      }
    }

    int positive(String setting, int fallback) {
      return number(setting, 1).orElse(fallback);
    }

    int atLeastZero(String setting, int fallback) {
      return number(setting, 0).orElse(fallback);
    }

    OptionalInt optionalPositive(String setting) {
      Optional<Integer> value = number(setting, 1);
      return value.isPresent() ? OptionalInt.of(value.get()) : OptionalInt.empty();
    }

    Duration millis(String setting, Duration fallback) {
      return number(setting, 1).map(Duration::ofMillis).orElse(fallback);
    }

    boolean bool(String setting, boolean fallback) {
      String variable = provider.variable(setting);
      String value = environment.getOrDefault(variable, "").strip();
      return switch (value.toLowerCase(Locale.ROOT)) {
        case "" -> fallback;
        case "true" -> true;
        case "false" -> false;
        default ->
            throw new IllegalArgumentException(
                variable + " must be true or false, not '" + value + "'");
      };
    }

    private Optional<Integer> number(String setting, int least) {
      String variable = provider.variable(setting);
      String value = environment.getOrDefault(variable, "").strip();
      if (value.isEmpty()) {
        return Optional.empty();
      }
      try {
        int number = Integer.parseInt(value);
        if (number >= least) {
          return Optional.of(number);
        }
      } catch (NumberFormatException e) {
        // falls through to the message below
      }
      throw new IllegalArgumentException(
          "%s must be a whole number of at least %d, not '%s'".formatted(variable, least, value));
    }
  }
}
