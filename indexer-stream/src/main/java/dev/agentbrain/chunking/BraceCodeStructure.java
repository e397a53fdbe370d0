package dev.agentbrain.chunking;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the classes, methods, functions and types of Java, TypeScript/JavaScript and Go source by
 * brace depth (strings and comments skipped) and a declaration pattern per language. A pragmatic
 * reading, not a parser: code it misreads is still cut within the token limit, only at less apt
 * places.
 */
final class BraceCodeStructure {

  /** The languages this reader knows, and how each declares things. */
  enum Dialect {
    JAVA,
    TYPESCRIPT,
    GO
  }

  private static final String JAVA_ANNOTATIONS = "(?:@[\\w.]+(?:\\([^)]*\\))?\\s+)*";
  private static final Pattern JAVA_TYPE =
      Pattern.compile(
          "^"
              + JAVA_ANNOTATIONS
              + "(?:(?:public|protected|private|static|final|abstract|sealed|non-sealed|strictfp)\\s+)*"
              + "(class|interface|enum|record|@interface)\\s+([\\w$]+)");
  private static final Pattern JAVA_METHOD =
      Pattern.compile(
          "^"
              + JAVA_ANNOTATIONS
              + "(?:(?:public|protected|private|static|final|abstract|synchronized|native|default|strictfp)\\s+)*"
              + "(?:<[^>]+>\\s+)?([\\w$.]+(?:<.*>)?(?:\\[\\])*\\s+)?([\\w$]+)\\s*\\(");
  private static final Pattern TS_TYPE =
      Pattern.compile(
          "^(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:abstract\\s+)?"
              + "(class|interface|enum|namespace|module)\\s+([\\w$.]+)");
  private static final Pattern TS_FUNCTION =
      Pattern.compile(
          "^(?:export\\s+)?(?:default\\s+)?(?:declare\\s+)?(?:async\\s+)?function\\s*\\*?\\s*([\\w$]+)");
  private static final Pattern TS_FUNCTION_VALUE =
      Pattern.compile(
          "^(?:export\\s+)?(?:declare\\s+)?(?:const|let|var)\\s+([\\w$]+)\\s*(?::[^=]+)?="
              + "\\s*(?:async\\s+)?(?:function\\b|\\(|[\\w$]+\\s*=>)");
  private static final Pattern TS_TYPE_ALIAS =
      Pattern.compile("^(?:export\\s+)?(?:declare\\s+)?type\\s+([\\w$]+)");
  private static final Pattern TS_METHOD =
      Pattern.compile(
          "^(?:(?:public|private|protected|static|async|readonly|abstract|override|declare|get|set|accessor)\\s+)*"
              + "\\*?\\s*(#?[\\w$]+)\\s*(?:<[^>]*>)?\\s*\\(");
  private static final Pattern TS_METHOD_VALUE =
      Pattern.compile(
          "^(?:(?:public|private|protected|static|readonly|override)\\s+)*(#?[\\w$]+)\\s*(?::[^=]+)?="
              + "\\s*(?:async\\s+)?(?:function\\b|\\(|[\\w$]+\\s*=>)");
  private static final Pattern GO_FUNC =
      Pattern.compile(
          "^func\\s+(?:\\(\\s*(?:\\w+\\s+)?\\*?\\s*(\\w+)(?:\\[[^\\]]*\\])?\\s*\\)\\s*)?(\\w+)");
  private static final Pattern GO_TYPE = Pattern.compile("^type\\s+(\\w+)");
  private static final Pattern CLOSING = Pattern.compile("^[}\\])]+[;,)]*$");
  private static final Set<String> KEYWORDS =
      Set.of(
          "if",
          "for",
          "while",
          "switch",
          "catch",
          "synchronized",
          "return",
          "new",
          "throw",
          "else",
          "do",
          "try",
          "super",
          "this",
          "function",
          "await",
          "typeof",
          "delete",
          "void",
          "yield");
  // words that can stand before "name(" in a statement, where a return type would stand
  private static final Set<String> NOT_TYPES =
      Set.of("return", "new", "throw", "else", "case", "yield", "await");

  private BraceCodeStructure() {}

  /** One section per declaration (with the comments and annotations above it). */
  static List<Section> sections(String text, Dialect dialect) {
    SectionBuilder sections = new SectionBuilder(Section.Style.CODE);
    List<Line> lines = scan(text, dialect);
    Deque<Symbol> open = new ArrayDeque<>();
    for (int index = 0; index < lines.size(); index++) {
      Line line = lines.get(index);
      String content = text.substring(line.start(), line.end()).strip();
      if (content.isEmpty() || !line.startsInCode()) {
        markOpened(open, line);
        continue;
      }
      int depth = line.depthAtStart();
      boolean left = false;
      while (!open.isEmpty() && open.peek().opened() && depth <= open.peek().depth()) {
        open.pop();
        left = true;
      }
      Declaration declaration =
          declarationsAllowed(open, depth) ? declaration(dialect, content, open.peek()) : null;
      if (declaration != null) {
        while (!open.isEmpty() && open.peek().depth() >= depth) {
          open.pop();
        }
        Symbol symbol =
            new Symbol(declaration, depth, line.deepestDepth() > depth || content.endsWith("{"));
        open.push(symbol);
        sections.startAt(attachedStart(text, lines, index, sections.currentStart()), labels(open));
        if (!symbol.opened() && content.endsWith(";")) {
          open.pop();
        }
      } else if (left && !CLOSING.matcher(content).matches() && !isComment(content)) {
        sections.startAt(attachedStart(text, lines, index, sections.currentStart()), labels(open));
      }
      markOpened(open, line);
    }
    return sections.finish(text.length());
  }

  private static boolean declarationsAllowed(Deque<Symbol> open, int depth) {
    if (open.isEmpty()) {
      return depth == 0;
    }
    return open.peek().declaration().container() && depth == open.peek().depth() + 1;
  }

  private static Declaration declaration(Dialect dialect, String line, Symbol enclosing) {
    return switch (dialect) {
      case JAVA -> javaDeclaration(line, enclosing);
      case TYPESCRIPT -> typeScriptDeclaration(line, enclosing);
      case GO -> goDeclaration(line);
    };
  }

  private static Declaration javaDeclaration(String line, Symbol enclosing) {
    Matcher type = JAVA_TYPE.matcher(line);
    if (type.find()) {
      String kind = type.group(1).equals("@interface") ? "annotation" : type.group(1);
      return new Declaration(kind, type.group(2), true);
    }
    Matcher method = JAVA_METHOD.matcher(line);
    if (enclosing == null || !method.find() || KEYWORDS.contains(method.group(2))) {
      return null;
    }
    String name = method.group(2);
    if (method.group(1) != null && !NOT_TYPES.contains(method.group(1).strip())) {
      return new Declaration("method", name, false);
    }
    // no return type: only a constructor (an enum constant or a call otherwise)
    return name.equals(enclosing.declaration().name())
        ? new Declaration("constructor", name, false)
        : null;
  }

  private static Declaration typeScriptDeclaration(String line, Symbol enclosing) {
    Matcher type = TS_TYPE.matcher(line);
    if (type.find()) {
      return new Declaration(type.group(1), type.group(2), true);
    }
    if (enclosing != null && enclosing.declaration().kind().equals("class")) {
      for (Pattern member : List.of(TS_METHOD, TS_METHOD_VALUE)) {
        Matcher m = member.matcher(line);
        if (m.find() && !KEYWORDS.contains(m.group(1))) {
          return new Declaration("method", m.group(1), false);
        }
      }
      return null;
    }
    for (Pattern function : List.of(TS_FUNCTION, TS_FUNCTION_VALUE)) {
      Matcher m = function.matcher(line);
      if (m.find()) {
        return new Declaration("function", m.group(1), false);
      }
    }
    Matcher alias = TS_TYPE_ALIAS.matcher(line);
    return alias.find() ? new Declaration("type", alias.group(1), false) : null;
  }

  private static Declaration goDeclaration(String line) {
    Matcher function = GO_FUNC.matcher(line);
    if (function.find()) {
      return function.group(1) == null
          ? new Declaration("func", function.group(2), false)
          : new Declaration("method", function.group(1) + "." + function.group(2), false);
    }
    Matcher type = GO_TYPE.matcher(line);
    return type.find() ? new Declaration("type", type.group(1), false) : null;
  }

  /** A declaration takes the comments, annotations and decorators right above it along. */
  private static int attachedStart(String text, List<Line> lines, int index, int floor) {
    int first = index;
    while (first > 0 && lines.get(first - 1).start() >= floor) {
      Line above = lines.get(first - 1);
      String content = text.substring(above.start(), above.end()).strip();
      boolean attached =
          !content.isEmpty()
              && (!above.startsInCode() || isComment(content) || content.startsWith("@"));
      if (!attached) {
        break;
      }
      first--;
    }
    return lines.get(first).start();
  }

  private static boolean isComment(String content) {
    return content.startsWith("//") || content.startsWith("/*") || content.startsWith("*");
  }

  private static void markOpened(Deque<Symbol> open, Line line) {
    if (!open.isEmpty() && !open.peek().opened() && line.deepestDepth() > open.peek().depth()) {
      open.push(open.pop().asOpened());
    }
  }

  private static List<String> labels(Deque<Symbol> open) {
    List<String> labels = new ArrayList<>();
    open.descendingIterator()
        .forEachRemaining(s -> labels.add(s.declaration().kind() + " " + s.declaration().name()));
    return labels;
  }

  /**
   * Every line with the brace depth at its start, the deepest depth reached on it, and whether it
   * starts in code (not inside a comment or a multi-line string).
   */
  private static List<Line> scan(String text, Dialect dialect) {
    List<Line> lines = new ArrayList<>();
    State state = State.CODE;
    int depth = 0;
    int lineStart = 0;
    int lineDepth = 0;
    int deepest = 0;
    boolean startsInCode = true;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      char next = i + 1 < n ? text.charAt(i + 1) : '\0';
      if (c == '\n') {
        lines.add(new Line(lineStart, i, lineDepth, deepest, startsInCode));
        if (state == State.LINE_COMMENT || state == State.STRING || state == State.CHAR) {
          state = State.CODE;
        }
        lineStart = i + 1;
        lineDepth = depth;
        deepest = depth;
        startsInCode = state == State.CODE;
        continue;
      }
      switch (state) {
        case CODE -> {
          if (c == '/' && next == '/') {
            state = State.LINE_COMMENT;
          } else if (c == '/' && next == '*') {
            state = State.BLOCK_COMMENT;
            i++;
          } else if (c == '"') {
            if (dialect == Dialect.JAVA && text.startsWith("\"\"\"", i)) {
              state = State.TEXT_BLOCK;
              i += 2;
            } else {
              state = State.STRING;
            }
          } else if (c == '\'') {
            state = State.CHAR;
          } else if (c == '`' && dialect != Dialect.JAVA) {
            state = State.BACKTICK;
          } else if (c == '{') {
            depth++;
            deepest = Math.max(deepest, depth);
          } else if (c == '}') {
            depth = Math.max(0, depth - 1);
          }
        }
        case BLOCK_COMMENT -> {
          if (c == '*' && next == '/') {
            state = State.CODE;
            i++;
          }
        }
        case STRING, CHAR -> {
          if (c == '\\') {
            i++;
          } else if (c == (state == State.STRING ? '"' : '\'')) {
            state = State.CODE;
          }
        }
        case TEXT_BLOCK -> {
          if (c == '\\') {
            i++;
          } else if (text.startsWith("\"\"\"", i)) {
            state = State.CODE;
            i += 2;
          }
        }
        case BACKTICK -> {
          // Go raw strings know no escapes; template literals do
          if (c == '\\' && dialect != Dialect.GO) {
            i++;
          } else if (c == '`') {
            state = State.CODE;
          }
        }
        case LINE_COMMENT -> {}
      }
    }
    lines.add(new Line(lineStart, n, lineDepth, deepest, startsInCode));
    return lines;
  }

  private enum State {
    CODE,
    LINE_COMMENT,
    BLOCK_COMMENT,
    STRING,
    CHAR,
    TEXT_BLOCK,
    BACKTICK
  }

  private record Line(
      int start, int end, int depthAtStart, int deepestDepth, boolean startsInCode) {}

  private record Declaration(String kind, String name, boolean container) {}

  /** An open declaration: {@code depth} is the brace depth of its first line. */
  private record Symbol(Declaration declaration, int depth, boolean opened) {
    Symbol asOpened() {
      return new Symbol(declaration, depth, true);
    }
  }
}
