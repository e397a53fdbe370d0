package dev.agentbrain.embedding.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.retry.RetryPolicy;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class HttpEmbeddingConfigTest {

  @Test
  @DisplayName("with no variables set, each provider starts from its own defaults")
  void defaults() {
    HttpEmbeddingConfig openAi =
        HttpEmbeddingConfig.fromEnvironment(
            RemoteProvider.OPENAI, "text-embedding-3-small", Map.of());
    HttpEmbeddingConfig ollama =
        HttpEmbeddingConfig.fromEnvironment(RemoteProvider.OLLAMA, "nomic-embed-text", Map.of());

    assertThat(openAi)
        .isEqualTo(
            HttpEmbeddingConfig.defaults(
                RemoteProvider.OPENAI,
                URI.create("https://api.openai.com"),
                "text-embedding-3-small"));
    assertThat(openAi.apiKey()).isEmpty();
    assertThat(openAi.dimensions()).isEmpty();
    assertThat(openAi.normalize()).isTrue();
    assertThat(openAi.requestCap()).isEqualTo(new RequestCap(256, 1 << 20));
    assertThat(ollama.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:11434"));
    assertThat(ollama.concurrency()).isEqualTo(1);
    assertThat(ollama.timeout()).isEqualTo(Duration.ofSeconds(120));
  }

  @Test
  @DisplayName("every setting is read from its AGENT_BRAIN_<PROVIDER>_ variable")
  void readsVariables() {
    Map<String, String> environment =
        Map.ofEntries(
            Map.entry("AGENT_BRAIN_OLLAMA_URL", "http://gpu-box:11434"),
            Map.entry("AGENT_BRAIN_OLLAMA_API_KEY", "proxy-key"),
            Map.entry("AGENT_BRAIN_OLLAMA_DIMENSIONS", "768"),
            Map.entry("AGENT_BRAIN_OLLAMA_MAX_TOKENS", "512"),
            Map.entry("AGENT_BRAIN_OLLAMA_NORMALIZE", "FALSE"),
            Map.entry("AGENT_BRAIN_OLLAMA_TIMEOUT_MS", "2500"),
            Map.entry("AGENT_BRAIN_OLLAMA_MAX_RETRIES", "0"),
            Map.entry("AGENT_BRAIN_OLLAMA_RETRY_BACKOFF_MS", "10"),
            Map.entry("AGENT_BRAIN_OLLAMA_RETRY_MAX_BACKOFF_MS", "80"),
            Map.entry("AGENT_BRAIN_OLLAMA_BATCH_SIZE", "16"),
            Map.entry("AGENT_BRAIN_OLLAMA_MAX_REQUEST_BYTES", "65536"),
            Map.entry("AGENT_BRAIN_OLLAMA_CONCURRENCY", "2"));

    HttpEmbeddingConfig config =
        HttpEmbeddingConfig.fromEnvironment(RemoteProvider.OLLAMA, "nomic-embed-text", environment);

    assertThat(config.baseUrl()).isEqualTo(URI.create("http://gpu-box:11434"));
    assertThat(config.apiKey()).isPresent();
    assertThat(config.dimensions()).isEqualTo(OptionalInt.of(768));
    assertThat(config.maxTokens()).isEqualTo(512);
    assertThat(config.normalize()).isFalse();
    assertThat(config.timeout()).isEqualTo(Duration.ofMillis(2500));
    assertThat(config.retries())
        .isEqualTo(new RetryPolicy(0, Duration.ofMillis(10), Duration.ofMillis(80)));
    assertThat(config.requestCap()).isEqualTo(new RequestCap(16, 65536));
    assertThat(config.concurrency()).isEqualTo(2);
  }

  @Test
  @DisplayName("a value that cannot be used is refused, naming its variable")
  void refusesBadValues() {
    assertThatThrownBy(
            () ->
                HttpEmbeddingConfig.fromEnvironment(
                    RemoteProvider.OPENAI, "m", Map.of("AGENT_BRAIN_OPENAI_TIMEOUT_MS", "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "AGENT_BRAIN_OPENAI_TIMEOUT_MS must be a whole number of at least 1, not 'soon'");
    assertThatThrownBy(
            () ->
                HttpEmbeddingConfig.fromEnvironment(
                    RemoteProvider.OPENAI, "m", Map.of("AGENT_BRAIN_OPENAI_NORMALIZE", "yes")))
        .hasMessageContaining("AGENT_BRAIN_OPENAI_NORMALIZE must be true or false");
    assertThatThrownBy(
            () ->
                HttpEmbeddingConfig.fromEnvironment(
                    RemoteProvider.OPENAI,
                    "m",
                    Map.of("AGENT_BRAIN_OPENAI_BASE_URL", "api.openai.com")))
        .hasMessageContaining("must be an http(s) URL such as https://api.openai.com");
  }

  @Test
  @DisplayName("a blank key counts as no key, and a key prints masked")
  void keys() {
    assertThat(ApiKey.of("  ")).isEmpty();
    assertThat(ApiKey.of("sk-1").map(ApiKey::toString)).isEqualTo(Optional.of("****"));
  }
}
