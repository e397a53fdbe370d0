package dev.agentbrain.chunking;

import dev.agentbrain.chunking.BraceCodeStructure.Dialect;
import java.util.List;

/**
 * Cuts documents into chunks that fit an embedding model, at the most natural boundary available:
 * Markdown under its headings (fenced code blocks kept whole when they fit), code at its classes,
 * methods and functions, and everything at paragraphs, then lines or sentences, then words.
 *
 * <p>Every chunk has at most {@link ChunkingSettings#maxTokens()} tokens by the given counter — the
 * embedding model's own tokenizer in production. A chunk that goes on where the previous one cut a
 * section starts with about {@link ChunkingSettings#overlapTokens()} of its end, taken at a
 * sentence, line or word start. Chunks below {@link ChunkingSettings#minTokens()}, such as a
 * heading alone, run on into what follows.
 *
 * <p>Thread-safe if the counter is.
 */
public final class Chunker {

  private final TokenCounter counter;

  public Chunker(TokenCounter counter) {
    this.counter = counter;
  }

  /** The chunks of {@code text} in document order; none for blank text. */
  public List<Chunk> chunk(String text, Language language, ChunkingSettings settings) {
    if (text.isBlank()) {
      return List.of();
    }
    List<Section> sections =
        switch (language) {
          case MARKDOWN -> MarkdownStructure.sections(text);
          case JAVA -> BraceCodeStructure.sections(text, Dialect.JAVA);
          case TYPESCRIPT, JAVASCRIPT -> BraceCodeStructure.sections(text, Dialect.TYPESCRIPT);
          case GO -> BraceCodeStructure.sections(text, Dialect.GO);
          case PYTHON -> PythonStructure.sections(text);
          case TEXT -> List.of(new Section(0, text.length(), List.of(), Section.Style.PROSE));
        };
    List<Piece> pieces = Pieces.of(text, sections, counter, settings);
    return new Packer(text, sections, pieces, counter, settings).pack();
  }
}
