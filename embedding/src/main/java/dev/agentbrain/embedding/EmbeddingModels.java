package dev.agentbrain.embedding;

import dev.agentbrain.embedding.http.HttpEmbeddingConfig;
import dev.agentbrain.embedding.http.RemoteEmbeddingModel;
import dev.agentbrain.embedding.http.RemoteProvider;
import dev.agentbrain.embedding.onnx.BundledModel;
import dev.agentbrain.embedding.onnx.OnnxEmbeddingModel;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates embedding models by the name an index contract records. A bare name is a model bundled
 * for in-process ONNX inference ({@link #knownModels()}); a name with a provider prefix is a model
 * served over HTTP, configured from that provider's environment variables (see {@link
 * HttpEmbeddingConfig#fromEnvironment}): {@code openai:text-embedding-3-small} for OpenAI or a
 * server speaking its API, {@code ollama:nomic-embed-text} for Ollama. The prefixed name is also
 * what such a model reports as {@link ModelInfo#model()}, so a contract drafted from it opens the
 * same model again.
 */
public final class EmbeddingModels {

  /** The model new indexes use unless configured otherwise. */
  public static final String DEFAULT_MODEL = BundledModel.BGE_SMALL_EN_V15_Q.modelName();

  private EmbeddingModels() {}

  /** Names of the bundled models {@link #create} accepts, default first. */
  public static List<String> knownModels() {
    return BundledModel.names();
  }

  /**
   * Loads the named model with one embedding thread per available processor, the fastest setting.
   *
   * @throws IllegalArgumentException if the name is unknown; the message lists the known names
   */
  public static EmbeddingModel create(String modelName) {
    return create(modelName, Runtime.getRuntime().availableProcessors());
  }

  /**
   * Loads the named model, a remote one configured from this process's environment.
   *
   * @param threads how many texts a bundled model embeds at once, at least 1; remote models take
   *     their concurrency from their provider's settings instead
   * @throws IllegalArgumentException if the name is unknown (the message lists the known names), a
   *     setting cannot be used, or {@code threads} is below 1
   * @throws EmbeddingException if a remote model's dimensions are not configured and the request
   *     that learns them fails
   */
  public static EmbeddingModel create(String modelName, int threads) {
    return create(modelName, threads, System.getenv());
  }

  /**
   * Loads the named model, a remote one configured from {@code environment}.
   *
   * @see #create(String, int)
   */
  public static EmbeddingModel create(
      String modelName, int threads, Map<String, String> environment) {
    String name = modelName.strip();
    Optional<RemoteProvider> remote = remoteProvider(name);
    if (remote.isPresent()) {
      String served = name.substring(name.indexOf(':') + 1).strip();
      return RemoteEmbeddingModel.open(
          HttpEmbeddingConfig.fromEnvironment(remote.get(), served, environment));
    }
    return OnnxEmbeddingModel.load(bundled(name), threads);
  }

  /**
   * What the named model is (provider, contract name, dimensions, limits), e.g. to draft an index
   * contract. A bundled model is not loaded; a remote one is opened and closed again, which makes
   * one request when its dimensions are not configured.
   *
   * @throws IllegalArgumentException if the name is unknown or a setting cannot be used
   * @throws EmbeddingException if the request that learns a remote model's dimensions fails
   */
  public static ModelInfo describe(String modelName, Map<String, String> environment) {
    String name = modelName.strip();
    if (remoteProvider(name).isPresent()) {
      try (EmbeddingModel model = create(name, 1, environment)) {
        return model.info();
      }
    }
    return bundled(name).info();
  }

  private static BundledModel bundled(String name) {
    return BundledModel.byName(name)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown embedding model '%s'; known models: %s, or a served model as openai:<model> or ollama:<model>"
                        .formatted(name, String.join(", ", knownModels()))));
  }

  /** The provider a name's prefix names ({@code openai:...}), if it has one. */
  private static Optional<RemoteProvider> remoteProvider(String name) {
    int colon = name.indexOf(':');
    return colon < 0 ? Optional.empty() : RemoteProvider.byId(name.substring(0, colon));
  }
}
