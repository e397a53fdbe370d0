package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.StringLength;

/** Properties of {@link PathGlob} on random globs and paths; each runs in well under a second. */
class PathGlobPropertiesTest {

  @Property(tries = 2_000)
  void matchesAsItsRegex(@ForAll("shortGlobs") String glob, @ForAll("shortPaths") String path) {
    PathGlob matcher = new PathGlob(glob);
    boolean expected = Pattern.compile(matcher.regex(), Pattern.DOTALL).matcher(path).matches();
    assertThat(matcher.matches(path)).as("glob %s on path %s", glob, path).isEqualTo(expected);
  }

  @Property(tries = 500)
  void aLiteralGlobMatchesExactlyItself(
      @ForAll("literals") String literal, @ForAll @StringLength(max = 3) String extra) {
    PathGlob glob = new PathGlob(literal);
    assertThat(glob.matches(literal)).isTrue();
    assertThat(glob.matches(literal + extra)).isEqualTo(extra.isEmpty());
    assertThat(glob.matches(extra + literal)).isEqualTo(extra.isEmpty());
    assertThat(glob.matches(literal.substring(0, literal.length() - 1))).isFalse();
  }

  @Property(tries = 1_000)
  void doubleStarMatchesEverythingUnderItsPrefix(
      @ForAll("shortLiterals") String prefix, @ForAll("shortPaths") String path) {
    assertThat(new PathGlob(prefix + "/**").matches(path))
        .as("%s/** on %s", prefix, path)
        .isEqualTo(path.startsWith(prefix + "/"));
  }

  @Property(tries = 200)
  void doubleStarMatchesAnyCharactersUnderItsPrefix(
      @ForAll("literals") String prefix, @ForAll @StringLength(max = 200) String rest) {
    assertThat(new PathGlob(prefix + "/**").matches(prefix + "/" + rest)).isTrue();
  }

  /**
   * Globs of up to 40 wildcards and letters against paths of up to 2,000 characters that never
   * match (no 'z'), so every way to match is explored: a backtracking matcher takes seconds to
   * hours on many of these (29 s for eight **\/ over 40 directories), the linear one milliseconds.
   */
  @Property(tries = 200)
  void matchingTimeIsBoundedOnHostileGlobs(
      @ForAll("hostileGlobs") String glob, @ForAll("deepPaths") String path) {
    PathGlob matcher = new PathGlob(glob);
    // 40 tokens x 2,000 characters is ~1 ms here; generous for a loaded machine and a cold JIT. In
    // another thread, so that a matcher that backtracks fails here instead of running for hours
    assertThat(assertTimeoutPreemptively(Duration.ofMillis(500), () -> matcher.matches(path)))
        .as("glob %s on a path of %d characters", glob, path.length())
        .isFalse();
  }

  @Provide
  Arbitrary<String> shortGlobs() {
    return joined(List.of("a", "b", "/", "*", "?", "**", "**/", "."), 6);
  }

  /** 1 to {@code most} of the pieces, joined. */
  private static Arbitrary<String> joined(List<String> pieces, int most) {
    return Arbitraries.of(pieces)
        .list()
        .ofMinSize(1)
        .ofMaxSize(most)
        .map(list -> String.join("", list));
  }

  @Provide
  Arbitrary<String> shortPaths() {
    return Arbitraries.strings().withChars("ab/.").ofMaxLength(10);
  }

  @Provide
  Arbitrary<String> shortLiterals() {
    return Arbitraries.strings().withChars("ab/.").ofMinLength(1).ofMaxLength(4);
  }

  @Provide
  Arbitrary<String> literals() {
    return Arbitraries.strings().all().excludeChars('*', '?').ofMinLength(1).ofMaxLength(100);
  }

  @Provide
  Arbitrary<String> hostileGlobs() {
    return joined(List.of("**/", "*", "**", "*a", "a", "/", "?", "a/"), 40).map(glob -> glob + "z");
  }

  @Provide
  Arbitrary<String> deepPaths() {
    return Arbitraries.strings().withChars("a/").ofMinLength(100).ofMaxLength(2_000);
  }
}
