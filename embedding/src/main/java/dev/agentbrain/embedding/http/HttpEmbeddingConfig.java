package dev.agentbrain.embedding.http;

import dev.agentbrain.config.HttpEmbeddingSettings;
import dev.agentbrain.config.Setting;
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
        new RetryPolicy(
            provider.defaultMaxRetries(),
            provider.defaultInitialBackoff(),
            provider.defaultMaxBackoff()),
        provider.defaultRequestCap(),
        provider.defaultConcurrency());
  }

  /**
   * Reads the settings of {@code provider} from environment variables, each optional: the variables
   * and defaults of {@link RemoteProvider#settings()}.
   *
   * @throws IllegalArgumentException naming the variable when a value cannot be used
   */
  public static HttpEmbeddingConfig fromEnvironment(
      RemoteProvider provider, String model, Map<String, String> environment) {
    HttpEmbeddingSettings declared = provider.settings();
    EnvironmentReader env = new EnvironmentReader(environment);
    HttpEmbeddingConfig defaults = defaults(provider, env.url(declared.baseUrl()), model);
    Duration initialBackoff =
        env.millis(declared.retryBackoffMs(), defaults.retries().initialBackoff());
    return new HttpEmbeddingConfig(
        provider,
        defaults.baseUrl(),
        model,
        ApiKey.of(environment.get(declared.apiKey().env())),
        env.optionalPositive(declared.dimensions()),
        env.positive(declared.maxTokens(), defaults.maxTokens()),
        env.bool(declared.normalize(), defaults.normalize()),
        env.millis(declared.timeoutMs(), defaults.timeout()),
        new RetryPolicy(
            env.atLeastZero(declared.maxRetries(), defaults.retries().maxRetries()),
            initialBackoff,
            env.millis(
                declared.retryMaxBackoffMs(),
                max(defaults.retries().maxBackoff(), initialBackoff))),
        new RequestCap(
            env.positive(declared.batchSize(), defaults.requestCap().maxTexts()),
            env.positive(declared.maxRequestBytes(), defaults.requestCap().maxBytes())),
        env.positive(declared.concurrency(), defaults.concurrency()));
  }

  private static Duration max(Duration a, Duration b) {
    return a.compareTo(b) >= 0 ? a : b;
  }

  /** Parses one provider's variables; every complaint names the variable. */
  private record EnvironmentReader(Map<String, String> environment) {

    URI url(Setting<?> setting) {
      String variable = setting.env();
      String fallback = setting.defaultValue();
      String value = environment.getOrDefault(variable, "").strip();
      try {
        return URI.create(value.isEmpty() ? fallback : value);
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "%s must be a URL such as %s, not '%s'".formatted(variable, fallback, value), e);
      }
    }

    int positive(Setting<?> setting, int fallback) {
      return number(setting, 1).orElse(fallback);
    }

    int atLeastZero(Setting<?> setting, int fallback) {
      return number(setting, 0).orElse(fallback);
    }

    OptionalInt optionalPositive(Setting<?> setting) {
      Optional<Integer> value = number(setting, 1);
      return value.isPresent() ? OptionalInt.of(value.get()) : OptionalInt.empty();
    }

    Duration millis(Setting<?> setting, Duration fallback) {
      return number(setting, 1).map(Duration::ofMillis).orElse(fallback);
    }

    boolean bool(Setting<?> setting, boolean fallback) {
      String variable = setting.env();
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

    private Optional<Integer> number(Setting<?> setting, int least) {
      String variable = setting.env();
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
