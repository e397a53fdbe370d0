package dev.agentbrain.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

/** Token counters that make chunk sizes easy to reason about, and checks every chunk list meets. */
final class Words {

  /** One token per whitespace-separated word. */
  static final TokenCounter PER_WORD =
      text -> text.isBlank() ? 0 : text.strip().split("\\s+").length;

  private Words() {}

  /** {@code count} words {@code prefix1 prefix2 ...}, space-separated. */
  static String words(String prefix, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 1; i <= count; i++) {
      text.append(i > 1 ? " " : "").append(prefix).append(i);
    }
    return text.toString();
  }

  /** Every chunk is its document's text between its offsets, counted right and within the limit. */
  static void assertWellFormed(
      String document, List<Chunk> chunks, ChunkingSettings settings, TokenCounter counter) {
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      assertThat(chunk.position()).isEqualTo(i);
      assertThat(chunk.text())
          .isEqualTo(document.substring(chunk.startOffset(), chunk.endOffset()))
          .isNotBlank()
          .isEqualTo(chunk.text().strip());
      assertThat(chunk.tokens())
          .isEqualTo(counter.count(chunk.text()))
          .isLessThanOrEqualTo(settings.maxTokens());
      if (i > 0) {
        assertThat(chunk.startOffset()).isGreaterThan(chunks.get(i - 1).startOffset());
        assertThat(chunk.endOffset()).isGreaterThan(chunks.get(i - 1).endOffset());
      }
    }
  }
}
