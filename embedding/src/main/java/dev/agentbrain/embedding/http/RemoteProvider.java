package dev.agentbrain.embedding.http;

import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * The embedding services reached over HTTP, with the defaults each starts from. Every setting is
 * read from an environment variable named {@code AGENT_BRAIN_<PROVIDER>_<SETTING>} (see {@link
 * HttpEmbeddingConfig#fromEnvironment}).
 */
public enum RemoteProvider {
  /**
   * OpenAI or any server speaking its {@code /v1/embeddings} API (vLLM, LM Studio, llama.cpp,
   * LiteLLM). 256 texts and 1 MiB per request stay below OpenAI's 2,048 inputs and 300k tokens.
   */
  OPENAI(
      "openai",
      "AGENT_BRAIN_OPENAI_BASE_URL",
      "https://api.openai.com",
      8191,
      new RequestCap(256, 1 << 20),
      4,
      Duration.ofSeconds(30),
      5),
  /**
   * A local Ollama server ({@code /api/embed}). It runs one request at a time per model, and its
   * first request may wait for the model to load, hence one request at a time and a long timeout.
   */
  OLLAMA(
      "ollama",
      "AGENT_BRAIN_OLLAMA_URL",
      "http://127.0.0.1:11434",
      2048,
      new RequestCap(32, 1 << 20),
      1,
      Duration.ofSeconds(120),
      3);

  private final String id;
  private final String urlVariable;
  private final String defaultUrl;
  private final int defaultMaxTokens;
  private final RequestCap defaultRequestCap;
  private final int defaultConcurrency;
  private final Duration defaultTimeout;
  private final int defaultMaxRetries;

  RemoteProvider(
      String id,
      String urlVariable,
      String defaultUrl,
      int defaultMaxTokens,
      RequestCap defaultRequestCap,
      int defaultConcurrency,
      Duration defaultTimeout,
      int defaultMaxRetries) {
    this.id = id;
    this.urlVariable = urlVariable;
    this.defaultUrl = defaultUrl;
    this.defaultMaxTokens = defaultMaxTokens;
    this.defaultRequestCap = defaultRequestCap;
    this.defaultConcurrency = defaultConcurrency;
    this.defaultTimeout = defaultTimeout;
    this.defaultMaxRetries = defaultMaxRetries;
  }

  /** The name a contract records as provider and a model name starts with, e.g. {@code openai}. */
  public String id() {
    return id;
  }

  /** The provider whose {@link #id} is {@code id}, compared case-insensitively. */
  public static Optional<RemoteProvider> byId(String id) {
    return Arrays.stream(values()).filter(p -> p.id.equalsIgnoreCase(id)).findFirst();
  }

  /** The environment variable holding the service's base URL. */
  public String urlVariable() {
    return urlVariable;
  }

  /** The environment variable for one setting, e.g. {@code AGENT_BRAIN_OPENAI_API_KEY}. */
  public String variable(String setting) {
    return "AGENT_BRAIN_" + name().toUpperCase(Locale.ROOT) + "_" + setting;
  }

  String defaultUrl() {
    return defaultUrl;
  }

  int defaultMaxTokens() {
    return defaultMaxTokens;
  }

  RequestCap defaultRequestCap() {
    return defaultRequestCap;
  }

  int defaultConcurrency() {
    return defaultConcurrency;
  }

  Duration defaultTimeout() {
    return defaultTimeout;
  }

  int defaultMaxRetries() {
    return defaultMaxRetries;
  }
}
