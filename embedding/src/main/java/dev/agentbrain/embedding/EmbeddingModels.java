package dev.agentbrain.embedding;

import dev.agentbrain.embedding.onnx.BundledModel;
import dev.agentbrain.embedding.onnx.OnnxEmbeddingModel;
import java.util.List;

/**
 * Creates embedding models by the name an index contract records. Today every known name is a model
 * bundled for in-process ONNX inference; remote providers (OpenAI-compatible, Ollama) will add
 * their own names here.
 */
public final class EmbeddingModels {

  /** The model new indexes use unless configured otherwise. */
  public static final String DEFAULT_MODEL = BundledModel.BGE_SMALL_EN_V15_Q.modelName();

  private EmbeddingModels() {}

  /** Names {@link #create} accepts, default first. */
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
   * Loads the named model.
   *
   * @param threads how many texts are embedded at once, at least 1
   * @throws IllegalArgumentException if the name is unknown (the message lists the known names) or
   *     {@code threads} is below 1
   */
  public static EmbeddingModel create(String modelName, int threads) {
    BundledModel model =
        BundledModel.byName(modelName.strip())
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "unknown embedding model '%s'; known models: %s"
                            .formatted(modelName, String.join(", ", knownModels()))));
    return OnnxEmbeddingModel.load(model, threads);
  }
}
