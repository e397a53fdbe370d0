package dev.agentbrain.chunking;

import static dev.agentbrain.chunking.Words.PER_WORD;
import static dev.agentbrain.chunking.Words.assertWellFormed;
import static dev.agentbrain.chunking.Words.words;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class MarkdownChunkingTest {

  private final Chunker chunker = new Chunker(PER_WORD);

  @Test
  @DisplayName("each chunk carries the path of headings above it")
  void headingPaths() {
    String text =
        """
        # Guide

        %s

        ## Install

        %s

        ### Linux

        %s

        ## Use

        %s
        """
            .formatted(words("g", 8), words("i", 8), words("l", 8), words("u", 8));
    ChunkingSettings settings = new ChunkingSettings(40, 5);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks)
        .extracting(Chunk::headingPath)
        .containsExactly("Guide", "Guide > Install", "Guide > Install > Linux", "Guide > Use");
    assertThat(chunks.get(1).text()).startsWith("## Install");
  }

  @Test
  @DisplayName("setext headings are headings too")
  void setextHeadings() {
    String text =
        "Title\n=====\n\n" + words("t", 8) + "\n\nPart two\n--------\n\n" + words("p", 8) + "\n";
    ChunkingSettings settings = new ChunkingSettings(40, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertThat(chunks).extracting(Chunk::headingPath).containsExactly("Title", "Title > Part two");
  }

  @Test
  @DisplayName("a heading alone is merged into the chunk that follows, which keeps its own path")
  void loneHeadingMergesForward() {
    String text = "# Guide\n\n## Install\n\n" + words("i", 20) + "\n";
    ChunkingSettings settings = new ChunkingSettings(40, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text()).startsWith("# Guide\n\n## Install");
    assertThat(chunks.get(0).headingPath()).isEqualTo("Guide > Install");
  }

  @Test
  @DisplayName("a small last section joins the chunk before it")
  void smallLastSectionMergesBack() {
    String text = "# A\n\n" + words("a", 15) + "\n\n# B\n\ntail.\n";
    ChunkingSettings settings = new ChunkingSettings(32, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).text()).endsWith("# B\n\ntail.");
    assertThat(chunks.get(0).headingPath()).isEqualTo("A");
  }

  @Test
  @DisplayName("front matter goes with the first heading")
  void frontMatter() {
    String text = "---\ntitle: Guide\nnav_order: 3\n---\n\n# Guide\n\n" + words("g", 10) + "\n";
    ChunkingSettings settings = new ChunkingSettings(40, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertThat(chunks).hasSize(1);
    assertThat(chunks.get(0).startOffset()).isZero();
    assertThat(chunks.get(0).headingPath()).isEqualTo("Guide");
  }

  @Test
  @DisplayName("a fenced code block that fits a chunk is never cut")
  void fenceKeptWhole() {
    String fence = "```java\n" + "line;\n".repeat(15) + "```";
    String text = "# Code\n\n" + words("p", 10) + "\n\n" + fence + "\n\n" + words("q", 10) + "\n";
    ChunkingSettings settings = new ChunkingSettings(20, 4);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks)
        .filteredOn(c -> c.text().contains("line;"))
        .singleElement()
        .satisfies(c -> assertThat(c.text()).contains(fence));
  }

  @Test
  @DisplayName("a fenced code block larger than a chunk is cut between lines")
  void bigFenceCutBetweenLines() {
    String text = "# Code\n\n```\n" + "a b;\n".repeat(30) + "```\n";
    ChunkingSettings settings = new ChunkingSettings(20, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    assertThat(chunks).hasSizeGreaterThan(2);
    assertThat(chunks)
        .allSatisfy(
            c ->
                assertThat(c.endOffset() == text.length() || text.charAt(c.endOffset()) == '\n')
                    .isTrue());
  }

  @Test
  @DisplayName("a # line inside a fenced code block is no heading")
  void hashInFence() {
    String text = "# Real\n\n```bash\n# just a comment\necho hi\n```\n\n" + words("r", 10) + "\n";
    ChunkingSettings settings = new ChunkingSettings(40, 0);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertThat(chunks).extracting(Chunk::headingPath).containsOnly("Real");
  }

  @Test
  @DisplayName("a new section starts a new chunk without overlap")
  void noOverlapAcrossHeadings() {
    String text = "# A\n\n" + words("a", 30) + ".\n\n# B\n\n" + words("b", 30) + ".\n";
    ChunkingSettings settings = new ChunkingSettings(20, 5);

    List<Chunk> chunks = chunker.chunk(text, Language.MARKDOWN, settings);

    assertWellFormed(text, chunks, settings, PER_WORD);
    List<Chunk> underA = chunks.stream().filter(c -> c.headingPath().equals("A")).toList();
    List<Chunk> underB = chunks.stream().filter(c -> c.headingPath().equals("B")).toList();
    assertThat(underA.get(1).startOffset()).isLessThan(underA.get(0).endOffset());
    assertThat(underB.get(0).text()).startsWith("# B");
    assertThat(underB.get(0).startOffset()).isGreaterThan(underA.getLast().endOffset());
  }
}
