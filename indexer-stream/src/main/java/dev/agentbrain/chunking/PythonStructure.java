package dev.agentbrain.chunking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the classes, methods and functions of Python source by indentation, skipping strings,
 * comments and lines that continue an open bracket. Functions nested in functions stay with their
 * parent.
 */
final class PythonStructure {

  private static final Pattern DECLARATION =
      Pattern.compile("^[ \\t]*(?:async[ \\t]+)?(def|class)[ \\t]+(\\w+)");
  private static final int TAB_WIDTH = 8;

  private PythonStructure() {}

  /** One section per class, method and top-level function (decorators and comments included). */
  static List<Section> sections(String text) {
    SectionBuilder sections = new SectionBuilder(Section.Style.CODE);
    Deque<Symbol> open = new ArrayDeque<>();
    Scanner scanner = new Scanner();
    List<Integer> lineStarts = new ArrayList<>();
    for (int lineStart = 0; lineStart < text.length(); ) {
      int lineEnd = Boundaries.lineEnd(text, lineStart, text.length());
      String line = text.substring(lineStart, lineEnd);
      lineStarts.add(lineStart);
      boolean continues = scanner.insideSomething();
      scanner.read(line);
      String content = line.strip();
      if (!continues && !content.isEmpty() && !content.startsWith("#")) {
        int indent = indentOf(line);
        boolean left = false;
        while (!open.isEmpty() && indent <= open.peek().indent()) {
          open.pop();
          left = true;
        }
        Matcher declaration = DECLARATION.matcher(line);
        boolean inClassesOnly = open.stream().allMatch(s -> s.kind().equals("class"));
        if (declaration.find() && inClassesOnly) {
          String kind =
              declaration.group(1).equals("class")
                  ? "class"
                  : open.isEmpty() ? "function" : "method";
          open.push(new Symbol(indent, kind, declaration.group(2)));
          sections.startAt(attachedStart(text, lineStarts, sections.currentStart()), labels(open));
        } else if (left) {
          sections.startAt(attachedStart(text, lineStarts, sections.currentStart()), labels(open));
        }
      }
      lineStart = lineEnd + 1;
    }
    return sections.finish(text.length());
  }

  /** The start of the last line, or of the comments and decorators right above it. */
  private static int attachedStart(String text, List<Integer> lineStarts, int floor) {
    int first = lineStarts.size() - 1;
    while (first > 0 && lineStarts.get(first - 1) >= floor) {
      int start = lineStarts.get(first - 1);
      String above = text.substring(start, lineStarts.get(first) - 1).strip();
      if (!above.startsWith("#") && !above.startsWith("@")) {
        break;
      }
      first--;
    }
    return lineStarts.get(first);
  }

  private static int indentOf(String line) {
    int width = 0;
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == ' ') {
        width++;
      } else if (c == '\t') {
        width += TAB_WIDTH - width % TAB_WIDTH;
      } else {
        break;
      }
    }
    return width;
  }

  private static List<String> labels(Deque<Symbol> open) {
    List<String> labels = new ArrayList<>();
    open.descendingIterator().forEachRemaining(s -> labels.add(s.kind() + " " + s.name()));
    return labels;
  }

  private record Symbol(int indent, String kind, String name) {}

  /**
   * Tracks what a line leaves open for the next: a triple-quoted string, a bracket, a backslash.
   */
  private static final class Scanner {
    private String tripleQuote;
    private int brackets;
    private boolean backslash;

    boolean insideSomething() {
      return tripleQuote != null || brackets > 0 || backslash;
    }

    void read(String line) {
      char quote = 0;
      backslash = false;
      int i = 0;
      while (i < line.length()) {
        char c = line.charAt(i);
        if (tripleQuote != null) {
          if (c == '\\') {
            i += 2;
            continue;
          }
          if (line.startsWith(tripleQuote, i)) {
            tripleQuote = null;
            i += 3;
            continue;
          }
        } else if (quote != 0) {
          if (c == '\\') {
            i += 2;
            continue;
          }
          if (c == quote) {
            quote = 0;
          }
        } else if (c == '#') {
          break;
        } else if (line.startsWith("\"\"\"", i) || line.startsWith("'''", i)) {
          tripleQuote = line.substring(i, i + 3);
          i += 3;
          continue;
        } else if (c == '"' || c == '\'') {
          quote = c;
        } else if (c == '(' || c == '[' || c == '{') {
          brackets++;
        } else if (c == ')' || c == ']' || c == '}') {
          brackets = Math.max(0, brackets - 1);
        }
        i++;
      }
      backslash = tripleQuote == null && line.stripTrailing().endsWith("\\");
    }
  }
}
