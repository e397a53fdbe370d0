package dev.agentbrain.chunking;

/**
 * text[start, end) of one section, small enough for a chunk on its own; chunks are runs of pieces.
 *
 * @param tokens its token count
 * @param section index of its section
 * @param overlapFrom where inside it the next chunk's overlap may begin
 */
record Piece(int start, int end, int tokens, int section, OverlapFrom overlapFrom) {

  /** Where an overlap taken from the end of a piece may begin. */
  enum OverlapFrom {
    /** At a sentence (or, failing that, word) start. */
    SENTENCE,
    /** At a line (or, failing that, word) start. */
    LINE,
    /** Nowhere: the piece must not be cut, e.g. a fenced code block. */
    NONE
  }
}
