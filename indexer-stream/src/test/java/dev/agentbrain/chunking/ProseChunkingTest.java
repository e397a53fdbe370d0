package dev.agentbrain.chunking;

import static dev.agentbrain.chunking.Words.PER_WORD;
import static dev.agentbrain.chunking.Words.assertWellFormed;
import static dev.agentbrain.chunking.Words.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ProseChunkingTest {

  private final Chunker chunker = new Chunker(PER_WORD);

  @Test
  @DisplayName("whole paragraphs go into a chunk while they fit")
  void packsParagraphs() {
    String text = words("a", 10) + "\n\n" + words("b", 10) + "\n\n" + words("c", 10);
    ChunkingSettings settings = new ChunkingSettings(25, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks)
        .extracting(Chunk::text)
        .containsExactly(words("a", 10) + "\n\n" + words("b", 10), words("c", 10));
  }

  @Test
  @DisplayName("a paragraph too long for a chunk is cut between sentences")
  void cutsBetweenSentences() {
    String text = sentences(5, 8);
    ChunkingSettings settings = new ChunkingSettings(20, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks).hasSize(3).allSatisfy(c -> assertThat(c.text()).endsWith("."));
  }

  @Test
  @DisplayName("a sentence too long for a chunk is cut between words")
  void cutsBetweenWords() {
    String text = words("w", 50);
    ChunkingSettings settings = new ChunkingSettings(20, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks).extracting(Chunk::tokens).containsExactly(20, 20, 10);
  }

  @Test
  @DisplayName("a run without whitespace too long for a chunk is cut within the limit")
  void cutsLongRuns() {
    TokenCounter fourCharsPerToken =
        text ->
            text.isBlank()
                ? 0
                : java.util.Arrays.stream(text.strip().split("\\s+"))
                    .mapToInt(w -> (w.length() + 3) / 4)
                    .sum();
    String text = "start " + "x".repeat(400) + " end";
    ChunkingSettings settings = new ChunkingSettings(16, 0);

    List<Chunk> chunks = new Chunker(fourCharsPerToken).chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, fourCharsPerToken);
    assertThat(chunks).hasSizeGreaterThan(6);
    assertThat(chunks.stream().map(Chunk::text).collect(Collectors.joining()).replace(" ", ""))
        .isEqualTo(text.replace(" ", ""));
  }

  @Test
  @DisplayName("a chunk that goes on cutting a paragraph repeats its predecessor's last sentence")
  void overlapsAtSentenceStart() {
    String text = sentences(10, 5);
    ChunkingSettings settings = new ChunkingSettings(20, 6);

    List<Chunk> chunks = chunker.chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    Chunk first = chunks.get(0);
    Chunk second = chunks.get(1);
    assertThat(first.text()).endsWith("s4w5.");
    assertThat(second.startOffset()).isLessThan(first.endOffset());
    assertThat(second.text()).startsWith("s4w1 ");
  }

  @Test
  @DisplayName("where the last sentence is longer than the overlap, the overlap starts at a word")
  void overlapsAtWordStart() {
    String text = sentences(3, 12).replace("w", "word");
    ChunkingSettings settings = new ChunkingSettings(30, 6);

    List<Chunk> chunks = chunker.chunk(text, Language.TEXT, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    String overlap = text.substring(chunks.get(1).startOffset(), chunks.get(0).endOffset());
    assertThat(PER_WORD.count(overlap)).isBetween(3, 6);
    assertThat(overlap).startsWith("s2word");
  }

  @Test
  @DisplayName("blank text has no chunks")
  void blankText() {
    assertThat(chunker.chunk(" \n\t ", Language.TEXT, new ChunkingSettings(20, 0))).isEmpty();
  }

  /** {@code count} sentences of {@code words} words each: s1w1 ... s1wN. s2w1 ... */
  private static String sentences(int count, int words) {
    return IntStream.rangeClosed(1, count)
        .mapToObj(s -> words("s" + s + "w", words) + ".")
        .collect(Collectors.joining(" "));
  }
}
