package dev.agentbrain.chunking;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the heading structure of Markdown (ATX and setext headings, fenced code blocks, YAML front
 * matter) line by line; no full CommonMark parse is needed to find where to cut.
 */
final class MarkdownStructure {

  private static final Pattern ATX_HEADING =
      Pattern.compile("^ {0,3}(#{1,6})(?:[ \\t]+(.*?))?(?:[ \\t]+#+)?[ \\t]*$");
  private static final Pattern SETEXT_UNDERLINE = Pattern.compile("^ {0,3}(=+|-+)[ \\t]*$");
  private static final Pattern FENCE = Pattern.compile("^\\s*(`{3,}|~{3,})(.*)$");
  private static final Pattern NOT_A_SETEXT_TITLE =
      Pattern.compile("^(?: {4,}|\\s*(?:[-*+>|<]|\\d{1,9}[.)]\\s|\\{:))");
  private static final Pattern LIST_OR_TABLE_LINE =
      Pattern.compile("^\\s*(?:[-*+]\\s|\\d{1,9}[.)]\\s|\\|)");

  private MarkdownStructure() {}

  /** A block of lines inside a section, and what kind of block it is. */
  record Block(Span span, Kind kind) {
    enum Kind {
      /** Paragraph text. */
      PROSE,
      /** Mostly list items or table rows: cut between lines first. */
      LINES,
      /** A fenced code block, fences included: kept whole when it fits. */
      FENCE
    }
  }

  /** Sections: the text before the first heading, then one per heading, heading line included. */
  static List<Section> sections(String text) {
    SectionBuilder sections = new SectionBuilder(Section.Style.MARKDOWN);
    List<Heading> open = new ArrayList<>();
    Fence fence = null;
    int frontMatterEnd = skipFrontMatter(text);
    int lineStart = frontMatterEnd;
    int previousStart = -1;
    // a setext title is a one-line paragraph: after a blank line, a heading or a fence
    boolean titleMayStart = true;
    boolean previousIsTitle = false;
    while (lineStart < text.length()) {
      int lineEnd = Boundaries.lineEnd(text, lineStart, text.length());
      String line = stripCarriageReturn(text.substring(lineStart, lineEnd));
      boolean structural = true;
      boolean title = false;
      Matcher atx = ATX_HEADING.matcher(line);
      if (fence != null) {
        if (fence.closedBy(line)) {
          fence = null;
        }
      } else if (Fence.opens(line) != null) {
        fence = Fence.opens(line);
      } else if (atx.matches()) {
        String headingText = atx.group(2) == null ? "" : atx.group(2).strip();
        enter(open, new Heading(atx.group(1).length(), headingText));
        sections.startAt(sectionStart(text, frontMatterEnd, lineStart), paths(open));
      } else if (previousIsTitle && SETEXT_UNDERLINE.matcher(line).matches()) {
        int level = line.strip().charAt(0) == '=' ? 1 : 2;
        String headingText =
            stripCarriageReturn(text.substring(previousStart, lineStart - 1)).strip();
        enter(open, new Heading(level, headingText));
        sections.startAt(sectionStart(text, frontMatterEnd, previousStart), paths(open));
      } else {
        structural = false;
        title = titleMayStart && !line.isBlank() && !NOT_A_SETEXT_TITLE.matcher(line).find();
      }
      titleMayStart = structural || line.isBlank();
      previousIsTitle = title;
      previousStart = lineStart;
      lineStart = lineEnd + 1;
    }
    return sections.finish(text.length());
  }

  /**
   * Blocks of text[from, to): paragraphs and lists separated by blank lines, and fenced code blocks
   * whole, whatever blank lines they hold.
   */
  static List<Block> blocks(String text, int from, int to) {
    List<Block> blocks = new ArrayList<>();
    Fence fence = null;
    int blockStart = -1;
    int lines = 0;
    int listLines = 0;
    for (int lineStart = from; lineStart < to; ) {
      int lineEnd = Boundaries.lineEnd(text, lineStart, to);
      String line = stripCarriageReturn(text.substring(lineStart, lineEnd));
      int next = lineEnd + 1;
      if (fence != null) {
        if (fence.closedBy(line)) {
          add(blocks, text, blockStart, Math.min(next, to), Block.Kind.FENCE);
          fence = null;
          blockStart = -1;
        }
      } else if (Fence.opens(line) != null) {
        if (blockStart >= 0) {
          add(blocks, text, blockStart, lineStart, kind(lines, listLines));
        }
        fence = Fence.opens(line);
        blockStart = lineStart;
      } else if (line.isBlank()) {
        if (blockStart >= 0) {
          add(blocks, text, blockStart, lineStart, kind(lines, listLines));
          blockStart = -1;
        }
      } else {
        if (blockStart < 0) {
          blockStart = lineStart;
          lines = 0;
          listLines = 0;
        }
        lines++;
        if (LIST_OR_TABLE_LINE.matcher(line).find()) {
          listLines++;
        }
      }
      lineStart = next;
    }
    if (blockStart >= 0) {
      add(blocks, text, blockStart, to, fence != null ? Block.Kind.FENCE : kind(lines, listLines));
    }
    return blocks;
  }

  private static Block.Kind kind(int lines, int listLines) {
    return lines >= 2 && listLines * 2 >= lines ? Block.Kind.LINES : Block.Kind.PROSE;
  }

  private static void add(List<Block> blocks, String text, int from, int to, Block.Kind kind) {
    Span span = Boundaries.trim(text, from, to);
    if (span.end() > span.start()) {
      blocks.add(new Block(span, kind));
    }
  }

  /** Front matter (a first line of {@code ---}, up to the next {@code ---} or {@code ...}). */
  private static int skipFrontMatter(String text) {
    int firstEnd = Boundaries.lineEnd(text, 0, text.length());
    if (!stripCarriageReturn(text.substring(0, firstEnd)).strip().equals("---")) {
      return 0;
    }
    for (int lineStart = firstEnd + 1; lineStart < text.length(); ) {
      int lineEnd = Boundaries.lineEnd(text, lineStart, text.length());
      String line = stripCarriageReturn(text.substring(lineStart, lineEnd)).strip();
      if (line.equals("---") || line.equals("...")) {
        return lineEnd + 1;
      }
      lineStart = lineEnd + 1;
    }
    return 0;
  }

  /**
   * Where the section of a heading starts: at the heading, or at the document start for the first
   * heading when only front matter comes before it (front matter is no section of its own).
   */
  private static int sectionStart(String text, int frontMatterEnd, int headingStart) {
    return Boundaries.isBlank(text, frontMatterEnd, headingStart) ? 0 : headingStart;
  }

  private static void enter(List<Heading> open, Heading heading) {
    while (!open.isEmpty() && open.getLast().level() >= heading.level()) {
      open.removeLast();
    }
    open.add(heading);
  }

  private static List<String> paths(List<Heading> open) {
    return open.stream().map(Heading::text).filter(t -> !t.isEmpty()).toList();
  }

  private static String stripCarriageReturn(String line) {
    return line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
  }

  private record Heading(int level, String text) {}

  /** An open fenced code block: closed by a line of at least as many of the same fence char. */
  private record Fence(char marker, int length) {

    static Fence opens(String line) {
      Matcher m = FENCE.matcher(line);
      if (!m.matches()) {
        return null;
      }
      String run = m.group(1);
      // an info string after backticks may not contain a backtick (CommonMark)
      if (run.charAt(0) == '`' && m.group(2).indexOf('`') >= 0) {
        return null;
      }
      return new Fence(run.charAt(0), run.length());
    }

    boolean closedBy(String line) {
      String stripped = line.strip();
      if (stripped.length() < length) {
        return false;
      }
      for (int i = 0; i < stripped.length(); i++) {
        if (stripped.charAt(i) != marker) {
          return false;
        }
      }
      return true;
    }
  }
}
