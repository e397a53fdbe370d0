package dev.agentbrain.indexer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The text a contract embeds for a chunk, and the key its vector is cached under. */
class ChunkEventsTest {

  private static final String MODEL = Contracts.MODEL;
  private static ModelPool models;
  private static EmbeddingModel model;

  @BeforeAll
  static void loadModel() {
    models = new ModelPool(1);
    model = models.model(MODEL);
  }

  @AfterAll
  static void closeModel() {
    models.close();
  }

  @Test
  @DisplayName("without chunk context every chunk is embedded as it is, keyed by its content hash")
  void plainContract() {
    EmbeddedChunk second = chunks(contract(false), "Install > Linux", "run the script").get(1);

    assertThat(ChunkEvents.textToEmbed(contract(false), second, model)).isEqualTo("run the script");
    assertThat(ChunkEvents.cacheKey(contract(false), second))
        .isEqualTo(MODEL + "|" + ContentHash.sha256("run the script"));
  }

  @Test
  @DisplayName(
      "with chunk context a later chunk gets its heading path in front, the first stays as it is")
  void contextContract() {
    List<EmbeddedChunk> chunks = chunks(contract(true), "Install > Linux", "run the script");

    assertThat(ChunkEvents.textToEmbed(contract(true), chunks.get(0), model)).isEqualTo("intro");
    assertThat(ChunkEvents.cacheKey(contract(true), chunks.get(0)))
        .isEqualTo(MODEL + "|" + ContentHash.sha256("intro"));
    assertThat(ChunkEvents.textToEmbed(contract(true), chunks.get(1), model))
        .isEqualTo("Install > Linux\n\nrun the script");
    assertThat(ChunkEvents.cacheKey(contract(true), chunks.get(1)))
        .isEqualTo(MODEL + "|" + ContentHash.sha256("Install > Linux\n\nrun the script"));
  }

  @Test
  @DisplayName(
      "a heading path that would push a chunk past the model's limit is left out, under the context key")
  void contextPastTheLimitIsLeftOut() {
    String text = "word ".repeat(model.info().maxTokens() - 10).strip();
    String heading = "Chapter > Section > Subsection > A rather long heading of many words";
    EmbeddedChunk second = chunks(contract(true), heading, text).get(1);

    assertThat(model.countTokens(text)).isLessThanOrEqualTo(model.info().maxTokens());
    assertThat(ChunkEvents.textToEmbed(contract(true), second, model)).isEqualTo(text);
    assertThat(ChunkEvents.cacheKey(contract(true), second))
        .isEqualTo(MODEL + "|" + ContentHash.sha256(heading + "\n\n" + text));
  }

  private static List<EmbeddedChunk> chunks(
      EmbeddingContract contract, String heading, String secondText) {
    DocumentEvent document =
        DocumentEvent.newBuilder()
            .setId("d")
            .setIndex("docs")
            .setSource("d.md")
            .setContent("intro\n\n" + secondText)
            .build();
    return ChunkEvents.of(
        document,
        1,
        contract,
        List.of(new ChunkDraft("intro", 1, ""), new ChunkDraft(secondText, 3, heading)));
  }

  private static EmbeddingContract contract(boolean chunkContext) {
    return Contracts.docs(chunkContext);
  }
}
