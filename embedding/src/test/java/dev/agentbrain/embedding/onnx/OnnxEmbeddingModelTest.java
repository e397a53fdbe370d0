package dev.agentbrain.embedding.onnx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.embedding.TextTooLongException;
import dev.agentbrain.storage.Similarity;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.bgesmallenv15q.BgeSmallEnV15QuantizedEmbeddingModel;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class OnnxEmbeddingModelTest {

  private static final String PASSAGE =
      "Kafka Streams reads the document log, chunks every document and embeds the chunks in"
          + " batches before the sinks write them to PostgreSQL and Chroma.";

  private static final Map<BundledModel, OnnxEmbeddingModel> models =
      new EnumMap<>(BundledModel.class);

  @BeforeAll
  static void loadModels() {
    for (BundledModel model : BundledModel.values()) {
      models.put(model, OnnxEmbeddingModel.load(model, 2));
    }
  }

  @AfterAll
  static void closeModels() {
    models.values().forEach(OnnxEmbeddingModel::close);
  }

  @ParameterizedTest
  @EnumSource(BundledModel.class)
  @DisplayName("vectors agree with LangChain4j's own wrapper of the same model")
  void agreesWithStockWrapper(BundledModel model) {
    dev.langchain4j.model.embedding.EmbeddingModel stock =
        switch (model) {
          case BGE_SMALL_EN_V15_Q -> new BgeSmallEnV15QuantizedEmbeddingModel();
          case ALL_MINILM_L6_V2_Q -> new AllMiniLmL6V2QuantizedEmbeddingModel();
        };
    for (String text : List.of(PASSAGE, "hello world", "Ünïcödé façade — naïve café")) {
      float[] expected = stock.embed(text).content().vector();
      float[] actual = models.get(model).embedPassages(List.of(text)).get(0);
      assertThat(Similarity.cosine(actual, expected)).as(text).isGreaterThan(0.999);
    }
  }

  @ParameterizedTest
  @EnumSource(BundledModel.class)
  @DisplayName("every vector has the model's dimensions and unit length")
  void unitVectors(BundledModel model) {
    float[] vector = models.get(model).embedPassages(List.of(PASSAGE)).get(0);

    assertThat(vector).hasSize(model.info().dimensions());
    assertThat(Similarity.cosine(vector, vector)).isCloseTo(1.0, within(1e-5));
  }

  @Test
  @DisplayName("a batch spread over several threads comes back in input order")
  void batchKeepsOrder() {
    OnnxEmbeddingModel model = models.get(BundledModel.BGE_SMALL_EN_V15_Q);
    List<String> texts = IntStream.range(0, 7).mapToObj(i -> "passage number " + i).toList();

    List<float[]> batch = model.embedPassages(texts);

    for (int i = 0; i < texts.size(); i++) {
      assertThat(batch.get(i)).containsExactly(model.embedPassages(List.of(texts.get(i))).get(0));
    }
  }

  @ParameterizedTest
  @EnumSource(BundledModel.class)
  @DisplayName("a text over the model's token limit is rejected, never truncated")
  void rejectsLongText(BundledModel model) {
    OnnxEmbeddingModel embedder = models.get(model);
    int limit = model.info().maxTokens();
    String tooLong = "word ".repeat(limit + 1);

    assertThatThrownBy(() -> embedder.embedPassages(List.of("short", tooLong)))
        .isInstanceOfSatisfying(
            TextTooLongException.class,
            e -> {
              assertThat(e.index()).isEqualTo(1);
              assertThat(e.tokens()).isEqualTo(limit + 1);
              assertThat(e.maxTokens()).isEqualTo(limit);
            })
        .hasMessageContaining("chunk it");
  }

  @ParameterizedTest
  @EnumSource(BundledModel.class)
  @DisplayName("a text of exactly the token limit is embedded")
  void embedsTextAtLimit(BundledModel model) {
    String atLimit = "word ".repeat(model.info().maxTokens());

    assertThat(models.get(model).embedPassages(List.of(atLimit)).get(0))
        .hasSize(model.info().dimensions());
  }

  @ParameterizedTest
  @EnumSource(BundledModel.class)
  @DisplayName("tokens are counted by the model's tokenizer without special tokens or truncation")
  void countsTokens(BundledModel model) {
    OnnxEmbeddingModel embedder = models.get(model);

    assertThat(embedder.countTokens("hello world")).isEqualTo(2);
    assertThat(embedder.countTokens("word ".repeat(600))).isEqualTo(600);
    assertThat(embedder.countTokens("")).isZero();
  }

  @Test
  @DisplayName("a bge query is embedded with its instruction prefix")
  void bgeQueryTakesPrefix() {
    OnnxEmbeddingModel model = models.get(BundledModel.BGE_SMALL_EN_V15_Q);
    String query = "how are documents chunked";

    float[] prefixed =
        model.embedPassages(List.of(BundledModel.BGE_SMALL_EN_V15_Q.queryPrefix() + query)).get(0);

    assertThat(model.embedQuery(query)).containsExactly(prefixed);
    assertThat(
            Similarity.cosine(model.embedQuery(query), model.embedPassages(List.of(query)).get(0)))
        .isLessThan(0.999);
  }

  @Test
  @DisplayName("a MiniLM query is embedded as it is")
  void miniLmQueryHasNoPrefix() {
    OnnxEmbeddingModel model = models.get(BundledModel.ALL_MINILM_L6_V2_Q);

    assertThat(model.embedQuery("chunking"))
        .containsExactly(model.embedPassages(List.of("chunking")).get(0));
  }

  @Test
  @DisplayName("a blank text is rejected with its position in the batch")
  void rejectsBlankText() {
    OnnxEmbeddingModel model = models.get(BundledModel.BGE_SMALL_EN_V15_Q);

    assertThatThrownBy(() -> model.embedPassages(List.of("fine", " \n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("text 1")
        .hasMessageContaining("blank");
  }

  @Test
  @DisplayName("fewer than one thread is refused")
  void refusesZeroThreads() {
    assertThatThrownBy(() -> OnnxEmbeddingModel.load(BundledModel.BGE_SMALL_EN_V15_Q, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 1");
  }
}
