package dev.agentbrain.chunking;

import dev.agentbrain.chunking.MarkdownStructure.Block;
import dev.agentbrain.chunking.Piece.OverlapFrom;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts sections into pieces that fit a chunk: a section whole if it fits, else its blocks
 * (paragraphs, lists, fenced code), and a block too big for a chunk at the finest boundary needed:
 * lines, sentences, words, and as a last resort characters.
 */
final class Pieces {

  private enum Level {
    LINES,
    SENTENCES,
    WORDS,
    CHARACTERS
  }

  private static final List<Level> PROSE = List.of(Level.SENTENCES, Level.WORDS, Level.CHARACTERS);
  private static final List<Level> LISTS =
      List.of(Level.LINES, Level.SENTENCES, Level.WORDS, Level.CHARACTERS);
  private static final List<Level> CODE = List.of(Level.LINES, Level.WORDS, Level.CHARACTERS);

  private final String text;
  private final TokenCounter counter;
  private final int maxTokens;
  // room left for an overlap when a run of characters has to be cut
  private final int characterRunTokens;
  private final List<Piece> pieces = new ArrayList<>();

  private Pieces(String text, TokenCounter counter, ChunkingSettings settings) {
    this.text = text;
    this.counter = counter;
    this.maxTokens = settings.maxTokens();
    this.characterRunTokens = Math.max(1, settings.maxTokens() - settings.overlapTokens());
  }

  /** The pieces of all sections, in document order. */
  static List<Piece> of(
      String text, List<Section> sections, TokenCounter counter, ChunkingSettings settings) {
    Pieces pieces = new Pieces(text, counter, settings);
    for (int index = 0; index < sections.size(); index++) {
      pieces.addSection(sections.get(index), index);
    }
    return pieces.pieces;
  }

  private void addSection(Section section, int index) {
    Span span = Boundaries.trim(text, section.start(), section.end());
    if (span.start() == span.end()) {
      return;
    }
    int tokens = count(span);
    if (tokens <= maxTokens) {
      OverlapFrom overlapFrom =
          switch (section.style()) {
            case PROSE -> OverlapFrom.SENTENCE;
            case CODE -> OverlapFrom.LINE;
            // a whole section may end in a fenced block
            case MARKDOWN -> OverlapFrom.NONE;
          };
      pieces.add(new Piece(span.start(), span.end(), tokens, index, overlapFrom));
      return;
    }
    switch (section.style()) {
      case MARKDOWN -> {
        for (Block block : MarkdownStructure.blocks(text, span.start(), span.end())) {
          switch (block.kind()) {
            case PROSE -> addBlock(block.span(), index, OverlapFrom.SENTENCE, PROSE);
            case LINES -> addBlock(block.span(), index, OverlapFrom.LINE, LISTS);
            case FENCE -> addBlock(block.span(), index, OverlapFrom.NONE, CODE);
          }
        }
      }
      case PROSE -> {
        for (Span paragraph : Boundaries.paragraphs(text, span.start(), span.end())) {
          addBlock(paragraph, index, OverlapFrom.SENTENCE, PROSE);
        }
      }
      case CODE -> {
        for (Span block : Boundaries.paragraphs(text, span.start(), span.end())) {
          addBlock(block, index, OverlapFrom.LINE, CODE);
        }
      }
    }
  }

  private void addBlock(Span block, int section, OverlapFrom whole, List<Level> levels) {
    int tokens = count(block);
    if (tokens <= maxTokens) {
      pieces.add(new Piece(block.start(), block.end(), tokens, section, whole));
    } else {
      split(block, section, levels, 0);
    }
  }

  private void split(Span span, int section, List<Level> levels, int level) {
    Level cut = levels.get(level);
    if (cut == Level.CHARACTERS) {
      splitCharacters(span, section);
      return;
    }
    List<Span> units =
        switch (cut) {
          case LINES -> Boundaries.lines(text, span.start(), span.end());
          case SENTENCES -> Boundaries.sentences(text, span.start(), span.end());
          default -> Boundaries.words(text, span.start(), span.end());
        };
    OverlapFrom overlapFrom = cut == Level.LINES ? OverlapFrom.LINE : OverlapFrom.SENTENCE;
    for (Span unit : units) {
      int tokens = count(unit);
      if (tokens <= maxTokens) {
        pieces.add(new Piece(unit.start(), unit.end(), tokens, section, overlapFrom));
      } else {
        split(unit, section, levels, level + 1);
      }
    }
  }

  /** A run without whitespace too long for a chunk: the longest prefixes that fit, in turn. */
  private void splitCharacters(Span span, int section) {
    int start = span.start();
    while (start < span.end()) {
      int low = start + 1;
      int high = span.end();
      while (low < high) {
        int middle = (low + high + 1) >>> 1;
        if (counter.count(text.substring(start, middle)) <= characterRunTokens) {
          low = middle;
        } else {
          high = middle - 1;
        }
      }
      int end = low;
      if (end < span.end() && Character.isLowSurrogate(text.charAt(end))) {
        end = end - 1 > start ? end - 1 : end + 1;
      }
      int tokens = counter.count(text.substring(start, end));
      pieces.add(new Piece(start, end, tokens, section, OverlapFrom.NONE));
      start = end;
    }
  }

  private int count(Span span) {
    return counter.count(text.substring(span.start(), span.end()));
  }
}
