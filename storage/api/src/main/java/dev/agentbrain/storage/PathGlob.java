package dev.agentbrain.storage;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A file path pattern, matched against a chunk's whole {@code source}: {@code *} stands for any
 * characters but {@code /}, {@code ?} for one character but {@code /}, {@code **} for any
 * characters including {@code /}, and {@code **}{@code /} for zero or more whole directories (so
 * {@code src/**}{@code /*.java} matches {@code src/Main.java} and {@code src/a/b/Main.java}). Every
 * other character stands for itself; there are no character classes or braces.
 *
 * <p>A value: equal when the patterns are equal. Immutable and thread-safe.
 */
public final class PathGlob {

  public static final int MAX_LENGTH = 1000;

  private final String pattern;
  private final Pattern compiled;

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
    this.compiled = Pattern.compile(regex(pattern), Pattern.DOTALL);
  }

  public String pattern() {
    return pattern;
  }

  /**
   * The glob as a regular expression (see {@link #regex(String)}), to be matched against a whole
   * path.
   */
  public String regex() {
    return compiled.pattern();
  }

  /**
   * The glob as a regular expression in the syntax that Java's {@link Pattern} and PostgreSQL's
   * advanced regular expressions share: only {@code (?:...)}, {@code .*}, {@code [^/]} and
   * backslash-escaped punctuation, never a backslash before a letter or digit (which both read as
   * an escape sequence), so a pattern cannot inject a regex construct.
   */
  private static String regex(String pattern) {
    StringBuilder regex = new StringBuilder();
    int i = 0;
    while (i < pattern.length()) {
      char c = pattern.charAt(i);
      if (pattern.startsWith("**/", i)) {
        regex.append("(?:.*/)?");
        i += 3;
      } else if (pattern.startsWith("**", i)) {
        regex.append(".*");
        i += 2;
      } else if (c == '*') {
        regex.append("[^/]*");
        i++;
      } else if (c == '?') {
        regex.append("[^/]");
        i++;
      } else {
        int codePoint = pattern.codePointAt(i);
        if (!Character.isLetterOrDigit(codePoint) && codePoint < 128) {
          regex.append('\\');
        }
        regex.appendCodePoint(codePoint);
        i += Character.charCount(codePoint);
      }
    }
    return regex.toString();
  }

  /** Whether {@code path} matches the whole glob. */
  public boolean matches(String path) {
    return compiled.matcher(path).matches();
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
