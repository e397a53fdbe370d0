package dev.agentbrain.embedding.onnx;

import dev.agentbrain.embedding.ModelInfo;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The quantized ONNX models whose weights and tokenizer ship inside LangChain4j's jars, so nothing
 * is downloaded at run time.
 */
public enum BundledModel {
  /** BAAI bge-small-en-v1.5, int8: CLS pooling; queries take an instruction prefix. */
  BGE_SMALL_EN_V15_Q(
      "bge-small-en-v1.5-q",
      BgeSmallEnV15QuantizedEmbeddingModel.class,
      "bge-small-en-v1.5-q",
      384,
      // 512 positions minus [CLS] and [SEP]
      510,
      Pooling.CLS,
      "Represent this sentence for searching relevant passages: "),
  /** sentence-transformers all-MiniLM-L6-v2, int8: mean pooling, no query prefix. */
  ALL_MINILM_L6_V2_Q(
      "all-minilm-l6-v2-q",
      AllMiniLmL6V2QuantizedEmbeddingModel.class,
      "all-minilm-l6-v2-q",
      384,
      // its shipped tokenizer truncates at 128 tokens, [CLS] and [SEP] included
      126,
      Pooling.MEAN,
      "");

  private final String modelName;
  private final Class<?> jarAnchor;
  private final String resourceBase;
  private final int dimensions;
  private final int maxTokens;
  private final Pooling pooling;
  private final String queryPrefix;

  BundledModel(
      String modelName,
      Class<?> jarAnchor,
      String resourceBase,
      int dimensions,
      int maxTokens,
      Pooling pooling,
      String queryPrefix) {
    this.modelName = modelName;
    this.jarAnchor = jarAnchor;
    this.resourceBase = resourceBase;
    this.dimensions = dimensions;
    this.maxTokens = maxTokens;
    this.pooling = pooling;
    this.queryPrefix = queryPrefix;
  }

  /** The name an index contract records, e.g. {@code bge-small-en-v1.5-q}. */
  public String modelName() {
    return modelName;
  }

  /** Provider {@code onnx}, name, dimensions and token limit; vectors are always normalised. */
  public ModelInfo info() {
    return new ModelInfo("onnx", modelName, dimensions, maxTokens, true);
  }

  /** The model with this name, compared case-insensitively. */
  public static Optional<BundledModel> byName(String name) {
    return Arrays.stream(values()).filter(m -> m.modelName.equalsIgnoreCase(name)).findFirst();
  }

  /** Names of all bundled models, default first. */
  public static List<String> names() {
    return Arrays.stream(values()).map(BundledModel::modelName).toList();
  }

  Pooling pooling() {
    return pooling;
  }

  String queryPrefix() {
    return queryPrefix;
  }

  byte[] modelBytes() {
    return readResource(resourceBase + ".onnx");
  }

  byte[] tokenizerBytes() {
    return readResource(resourceBase + "-tokenizer.json");
  }

  // Reading through the LangChain4j model class finds the resource in that class's own jar; a class
  // literal does not run its static initialiser, which would load a second copy of the model.
  private byte[] readResource(String name) {
    try (InputStream in = jarAnchor.getResourceAsStream("/" + name)) {
      if (in == null) {
        throw new IllegalStateException(
            "resource %s is missing from the jar of %s; check the langchain4j-embeddings dependency"
                .formatted(name, jarAnchor.getName()));
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + name + " from the classpath", e);
    }
  }

  /** How token vectors become one text vector. */
  enum Pooling {
    /** The [CLS] token's vector. */
    CLS,
    /** The mean of all token vectors, special tokens included (as sentence-transformers does). */
    MEAN
  }
}
