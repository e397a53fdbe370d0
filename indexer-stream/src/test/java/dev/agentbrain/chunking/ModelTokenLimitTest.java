package dev.agentbrain.chunking;

import static dev.agentbrain.chunking.Words.assertWellFormed;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Chunk sizes by the embedding models' own tokenizers, on documents made to be awkward. */
class ModelTokenLimitTest {

  private static final String[] VOCABULARY = {
    "index",
    "the",
    "vector",
    "search",
    "OpenSearch",
    "naïve",
    "Straße",
    "k-NN",
    "HNSW",
    "(see",
    "below)",
    "e.g.",
    "3.14",
    "μs",
    "—",
    "“quoted”",
    "日本語",
    "données",
    "#",
    "`code`",
    "é",
    "->",
    "{\"a\":",
    "1}",
    "https://example.org/a/very/long/path?with=query&and=more",
    "emoji🙂"
  };

  private static EmbeddingModel miniLm;
  private static EmbeddingModel bge;

  @BeforeAll
  static void loadModels() {
    miniLm = EmbeddingModels.create("all-minilm-l6-v2-q", 2);
    bge = EmbeddingModels.create("bge-small-en-v1.5-q", 2);
  }

  @AfterAll
  static void closeModels() {
    miniLm.close();
    bge.close();
  }

  @ParameterizedTest(name = "{0} at {1}/{2}")
  @CsvSource({
    "all-minilm-l6-v2-q, 126, 15",
    "all-minilm-l6-v2-q, 32, 4",
    "bge-small-en-v1.5-q, 400, 50",
    "bge-small-en-v1.5-q, 64, 8"
  })
  @DisplayName("no chunk has more tokens than the limit by the model's tokenizer")
  void withinLimit(String modelName, int maxTokens, int overlapTokens) {
    EmbeddingModel model = modelName.equals("bge-small-en-v1.5-q") ? bge : miniLm;
    ChunkingSettings settings = new ChunkingSettings(maxTokens, overlapTokens);
    Chunker chunker = new Chunker(model::countTokens);

    for (long seed = 1; seed <= 3; seed++) {
      for (Language language : List.of(Language.MARKDOWN, Language.TEXT, Language.JAVA)) {
        String document = awkwardDocument(new Random(seed), language);
        List<Chunk> chunks = chunker.chunk(document, language, settings);
        assertWellFormed(document, chunks, settings, model::countTokens);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"all-minilm-l6-v2-q"})
  @DisplayName("the model embeds every chunk cut to its own limit")
  void modelAcceptsChunks(String modelName) {
    ChunkingSettings settings = ChunkingSettings.forModelLimit(miniLm.info().maxTokens());
    String document = awkwardDocument(new Random(42), Language.MARKDOWN);

    List<Chunk> chunks =
        new Chunker(miniLm::countTokens).chunk(document, Language.MARKDOWN, settings);

    assertThat(chunks).hasSizeGreaterThan(5);
    assertThatCode(() -> miniLm.embedPassages(chunks.stream().map(Chunk::text).toList()))
        .as(modelName)
        .doesNotThrowAnyException();
  }

  /** Headings, long paragraphs, fences, a run without spaces and code, in random order. */
  private static String awkwardDocument(Random random, Language language) {
    List<String> parts = new ArrayList<>();
    for (int section = 0; section < 8; section++) {
      if (language == Language.MARKDOWN) {
        parts.add("#".repeat(1 + random.nextInt(3)) + " Section " + section);
      }
      if (language == Language.JAVA) {
        parts.add("class Part" + section + " {\n  void run() {\n" + lines(random, 40) + "  }\n}");
        continue;
      }
      for (int paragraph = 0; paragraph < 1 + random.nextInt(4); paragraph++) {
        parts.add(sentence(random, 5 + random.nextInt(400)));
      }
      if (language == Language.MARKDOWN && random.nextBoolean()) {
        parts.add("```json\n" + lines(random, 5 + random.nextInt(120)) + "```");
      }
      if (random.nextInt(4) == 0) {
        parts.add("x9".repeat(200 + random.nextInt(600)));
      }
      if (random.nextInt(8) == 0) {
        // outside the blocks the fast counter knows: counted by the native tokenizer
        parts.add("emoji 🙂 " + sentence(random, 20));
      }
    }
    return String.join("\n\n", parts) + "\n";
  }

  private static String sentence(Random random, int words) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < words; i++) {
      text.append(i > 0 ? " " : "").append(VOCABULARY[random.nextInt(VOCABULARY.length)]);
      if (random.nextInt(12) == 0) {
        text.append('.');
      }
    }
    return text.append('.').toString();
  }

  private static String lines(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append("    ").append(sentence(random, 1 + random.nextInt(12))).append('\n');
    }
    return text.toString();
  }
}
