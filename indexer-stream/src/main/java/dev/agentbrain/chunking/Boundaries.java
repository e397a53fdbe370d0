package dev.agentbrain.chunking;

import java.util.ArrayList;
import java.util.List;

/**
 * Where text may be cut: paragraphs, lines, sentences and words of text[from, to). Every span
 * returned is non-empty and has no whitespace at either end.
 */
final class Boundaries {

  private Boundaries() {}

  /** Runs of lines separated by blank lines. */
  static List<Span> paragraphs(String text, int from, int to) {
    List<Span> spans = new ArrayList<>();
    int paragraphStart = -1;
    for (int lineStart = from; lineStart < to; ) {
      int lineEnd = lineEnd(text, lineStart, to);
      if (isBlank(text, lineStart, lineEnd)) {
        if (paragraphStart >= 0) {
          add(spans, text, paragraphStart, lineStart);
          paragraphStart = -1;
        }
      } else if (paragraphStart < 0) {
        paragraphStart = lineStart;
      }
      lineStart = lineEnd + 1;
    }
    if (paragraphStart >= 0) {
      add(spans, text, paragraphStart, to);
    }
    return spans;
  }

  /** Non-blank lines. */
  static List<Span> lines(String text, int from, int to) {
    List<Span> spans = new ArrayList<>();
    for (int lineStart = from; lineStart < to; ) {
      int lineEnd = lineEnd(text, lineStart, to);
      add(spans, text, lineStart, lineEnd);
      lineStart = lineEnd + 1;
    }
    return spans;
  }

  /**
   * Sentences: a cut follows {@code . ! ?} (and closing quotes or brackets) when whitespace comes
   * next, and every blank line. Abbreviations are cut too; that only makes pieces smaller.
   */
  static List<Span> sentences(String text, int from, int to) {
    List<Span> spans = new ArrayList<>();
    int start = from;
    int i = from;
    while (i < to) {
      char c = text.charAt(i);
      if (isTerminator(c)) {
        int j = i + 1;
        while (j < to && isCloser(text.charAt(j))) {
          j++;
        }
        if (j == to || Character.isWhitespace(text.charAt(j))) {
          add(spans, text, start, j);
          start = j;
        }
        i = j;
      } else if (c == '\n' && blankLineFollows(text, i + 1, to)) {
        add(spans, text, start, i);
        start = i + 1;
        i++;
      } else {
        i++;
      }
    }
    add(spans, text, start, to);
    return spans;
  }

  /** Runs of non-whitespace. */
  static List<Span> words(String text, int from, int to) {
    List<Span> spans = new ArrayList<>();
    int i = from;
    while (i < to) {
      while (i < to && Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      int start = i;
      while (i < to && !Character.isWhitespace(text.charAt(i))) {
        i++;
      }
      if (i > start) {
        spans.add(new Span(start, i));
      }
    }
    return spans;
  }

  /** text[from, to) without whitespace at either end; empty (start == end) if it is all blank. */
  static Span trim(String text, int from, int to) {
    int start = from;
    int end = to;
    while (start < end && Character.isWhitespace(text.charAt(start))) {
      start++;
    }
    while (end > start && Character.isWhitespace(text.charAt(end - 1))) {
      end--;
    }
    return new Span(start, end);
  }

  /** Index of the '\n' ending the line that starts at {@code lineStart}, or {@code to}. */
  static int lineEnd(String text, int lineStart, int to) {
    int newline = text.indexOf('\n', lineStart);
    return newline < 0 || newline > to ? to : newline;
  }

  static boolean isBlank(String text, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
    }
    return true;
  }

  private static void add(List<Span> spans, String text, int from, int to) {
    Span span = trim(text, from, to);
    if (span.end() > span.start()) {
      spans.add(span);
    }
  }

  private static boolean blankLineFollows(String text, int lineStart, int to) {
    int i = lineStart;
    while (i < to && text.charAt(i) != '\n') {
      if (!Character.isWhitespace(text.charAt(i))) {
        return false;
      }
      i++;
    }
    return i < to;
  }

  private static boolean isTerminator(char c) {
    return c == '.' || c == '!' || c == '?' || c == '。' || c == '！' || c == '？';
  }

  private static boolean isCloser(char c) {
    return c == '"' || c == '\'' || c == ')' || c == ']' || c == '”' || c == '’' || c == '»';
  }
}
