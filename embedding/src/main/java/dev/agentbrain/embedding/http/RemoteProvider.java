package dev.agentbrain.embedding.http;

import dev.agentbrain.config.HttpEmbeddingSettings;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The embedding services reached over HTTP, with the defaults each starts from. Every setting is
 * read from an environment variable named {@code AGENT_BRAIN_<PROVIDER>_<SETTING>} (see {@link
 * HttpEmbeddingConfig#fromEnvironment}), declared in {@link HttpEmbeddingSettings}.
 */
public enum RemoteProvider {
  /**
   * OpenAI or any server speaking its {@code /v1/embeddings} API (vLLM, LM Studio, llama.cpp,
   * LiteLLM).
   */
  OPENAI("openai", HttpEmbeddingSettings.OPENAI),
  /** A local Ollama server ({@code /api/embed}). */
  OLLAMA("ollama", HttpEmbeddingSettings.OLLAMA);

  private final String id;
  private final HttpEmbeddingSettings settings;

  RemoteProvider(String id, HttpEmbeddingSettings settings) {
    this.id = id;
    this.settings = settings;
  }

  /** The name a contract records as provider and a model name starts with, e.g. {@code openai}. */
  public String id() {
    return id;
  }

  /** The provider whose {@link #id} is {@code id}, compared case-insensitively. */
  public static Optional<RemoteProvider> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id)).findFirst();
  }

  /** Its settings: variables, defaults and meanings, declared once in the config module. */
  public HttpEmbeddingSettings settings() {
    return settings;
  }

  /** The environment variable holding the service's base URL. */
  public String urlVariable() {
    return settings.baseUrl().env();
  }

  /** The environment variable for one setting, e.g. {@code AGENT_BRAIN_OPENAI_API_KEY}. */
  public String variable(String setting) {
    return "AGENT_BRAIN_" + name().toUpperCase(Locale.ROOT) + "_" + setting;
  }

  String defaultUrl() {
    return settings.baseUrl().defaultValue();
  }

  int defaultMaxTokens() {
    return settings.maxTokens().byDefault();
  }

  RequestCap defaultRequestCap() {
    return new RequestCap(settings.batchSize().byDefault(), settings.maxRequestBytes().byDefault());
  }

  int defaultConcurrency() {
    return settings.concurrency().byDefault();
  }

  Duration defaultTimeout() {
    return Duration.ofMillis(settings.timeoutMs().byDefault());
  }

  int defaultMaxRetries() {
    return settings.maxRetries().byDefault();
  }

  Duration defaultInitialBackoff() {
    return Duration.ofMillis(settings.retryBackoffMs().byDefault());
  }

  Duration defaultMaxBackoff() {
    return Duration.ofMillis(settings.retryMaxBackoffMs().byDefault());
  }
}
