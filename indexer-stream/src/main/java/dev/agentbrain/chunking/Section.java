package dev.agentbrain.chunking;

import java.util.List;

/**
 * A part of a document under one heading or symbol: text[start, end), possibly with surrounding
 * whitespace.
 *
 * @param path headings or symbols leading to it, outermost first; empty when none
 */
record Section(int start, int end, List<String> path, Style style) {

  /** How the text of a section is laid out, which decides where it may be cut. */
  enum Style {
    /** Paragraphs of sentences. */
    PROSE,
    /** Markdown: paragraphs, lists, tables and fenced code blocks. */
    MARKDOWN,
    /** Source code: blocks of lines. */
    CODE
  }
}
