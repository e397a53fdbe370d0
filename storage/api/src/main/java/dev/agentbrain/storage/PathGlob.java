package dev.agentbrain.storage;

import java.util.Arrays;
import java.util.Objects;

/**
 * A file path pattern, matched against a chunk's whole {@code source}: {@code *} stands for any
 * characters but {@code /}, {@code ?} for one character but {@code /}, {@code **} for any
 * characters including {@code /}, and {@code **}{@code /} for zero or more whole directories (so
 * {@code src/**}{@code /*.java} matches {@code src/Main.java} and {@code src/a/b/Main.java}). Every
 * other character stands for itself; there are no character classes or braces.
 *
 * <p>{@link #matches} runs in time proportional to the path's length times the glob's, whatever the
 * glob: it follows every way the glob could match at once (a Thompson simulation), where a
 * backtracking regex takes exponential time on a glob such as {@code **}{@code /} repeated ten
 * times that does not match a deep path (29 s for eight against 40 directories, measured).
 *
 * <p>A value: equal when the patterns are equal. Immutable and thread-safe.
 */
public final class PathGlob {

  public static final int MAX_LENGTH = 1000;

  // the glob, one token per element: a code point (itself), or one of the wildcards below
  private static final int ONE = -1; // ?
  private static final int STAR = -2; // *
  private static final int ANY = -3; // **
  private static final int DIRS = -4; // **/

  private final String pattern;
  private final int[] tokens;

  /**
   * @param pattern the glob as a person wrote it, 1 to {@value #MAX_LENGTH} characters
   */
  public PathGlob(String pattern) {
    Objects.requireNonNull(pattern, "pattern");
    if (pattern.isEmpty() || pattern.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "a path glob must be 1.." + MAX_LENGTH + " characters, not " + pattern.length());
    }
    this.pattern = pattern;
    this.tokens = tokens(pattern);
  }

  public String pattern() {
    return pattern;
  }

  /**
   * The glob as a regular expression, to be matched against a whole path: in the syntax that Java's
   * {@code Pattern} and PostgreSQL's advanced regular expressions share, only {@code (?:...)},
   * {@code .*}, {@code [^/]} and backslash-escaped punctuation, never a backslash before a letter
   * or digit (which both read as an escape sequence), so a pattern cannot inject a regex construct.
   * For PostgreSQL, whose regex engine is not backtracking; Java matches with {@link #matches}.
   */
  public String regex() {
    StringBuilder regex = new StringBuilder();
    for (int token : tokens) {
      switch (token) {
        case DIRS -> regex.append("(?:.*/)?");
        case ANY -> regex.append(".*");
        case STAR -> regex.append("[^/]*");
        case ONE -> regex.append("[^/]");
        default -> {
          if (!Character.isLetterOrDigit(token) && token < 128) {
            regex.append('\\');
          }
          regex.appendCodePoint(token);
        }
      }
    }
    return regex.toString();
  }

  private static int[] tokens(String pattern) {
    int[] tokens = new int[pattern.length()];
    int count = 0;
    int i = 0;
    while (i < pattern.length()) {
      if (pattern.startsWith("**/", i)) {
        tokens[count++] = DIRS;
        i += 3;
      } else if (pattern.startsWith("**", i)) {
        tokens[count++] = ANY;
        i += 2;
      } else if (pattern.charAt(i) == '*') {
        tokens[count++] = STAR;
        i++;
      } else if (pattern.charAt(i) == '?') {
        tokens[count++] = ONE;
        i++;
      } else {
        int codePoint = pattern.codePointAt(i);
        tokens[count++] = codePoint;
        i += Character.charCount(codePoint);
      }
    }
    return Arrays.copyOf(tokens, count);
  }

  /** Whether {@code path} matches the whole glob; linear in the path's length (see above). */
  public boolean matches(String path) {
    int n = tokens.length;
    // at[t]: the glob's first t tokens can match the path read so far; inDirs[t]: they can, but
    // for token t, a **/ that has begun and must end at a '/' (so it cannot match nothing any more)
    boolean[] at = new boolean[n + 1];
    boolean[] inDirs = new boolean[n + 1];
    boolean[] next = new boolean[n + 1];
    boolean[] nextInDirs = new boolean[n + 1];
    at[0] = true;
    skipEmpty(at);
    for (int i = 0; i < path.length(); ) {
      int c = path.codePointAt(i);
      i += Character.charCount(c);
      Arrays.fill(next, false);
      Arrays.fill(nextInDirs, false);
      boolean alive = false;
      for (int t = 0; t < n; t++) {
        if (!at[t] && !inDirs[t]) {
          continue;
        }
        alive = true;
        switch (tokens[t]) {
          case ANY -> next[t] = true;
          case DIRS -> {
            // (?:.*/)? : c is one of the directories' characters, or the '/' that ends them
            nextInDirs[t] = true;
            next[t + 1] |= c == '/';
          }
          case STAR -> next[t] |= c != '/';
          case ONE -> next[t + 1] |= c != '/';
          default -> next[t + 1] |= c == tokens[t];
        }
      }
      if (!alive) {
        return false;
      }
      skipEmpty(next);
      boolean[] swap = at;
      at = next;
      next = swap;
      swap = inDirs;
      inDirs = nextInDirs;
      nextInDirs = swap;
    }
    return at[n];
  }

  /** Adds the states reached by letting wildcards match nothing. */
  private void skipEmpty(boolean[] at) {
    for (int t = 0; t < tokens.length; t++) {
      if (at[t] && tokens[t] <= STAR) {
        at[t + 1] = true;
      }
    }
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof PathGlob glob && glob.pattern.equals(pattern);
  }

  @Override
  public int hashCode() {
    return pattern.hashCode();
  }

  @Override
  public String toString() {
    return "PathGlob[" + pattern + "]";
  }
}
