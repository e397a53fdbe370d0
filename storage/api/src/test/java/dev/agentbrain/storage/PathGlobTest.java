package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class PathGlobTest {

  @Test
  @DisplayName("* and ? stay inside one directory, ** crosses directories")
  void wildcards() {
    assertThat(new PathGlob("docs/*.md").matches("docs/a.md")).isTrue();
    assertThat(new PathGlob("docs/*.md").matches("docs/sub/a.md")).isFalse();
    assertThat(new PathGlob("docs/**").matches("docs/sub/a.md")).isTrue();
    assertThat(new PathGlob("d?cs/a.md").matches("docs/a.md")).isTrue();
    assertThat(new PathGlob("docs?a.md").matches("docs/a.md")).isFalse();
  }

  @Test
  @DisplayName("**/ stands for zero or more whole directories")
  void doubleStarSlash() {
    PathGlob glob = new PathGlob("src/**/*.java");
    assertThat(glob.matches("src/Main.java")).isTrue();
    assertThat(glob.matches("src/a/b/Main.java")).isTrue();
    assertThat(glob.matches("srcMain.java")).isFalse();
  }

  @Test
  @DisplayName("the glob matches the whole path, and regex or LIKE syntax is literal")
  void literal() {
    assertThat(new PathGlob("a.md").matches("xa.md")).isFalse();
    assertThat(new PathGlob("a.md").matches("aXmd")).isFalse();
    assertThat(new PathGlob("%").matches("anything")).isFalse();
    assertThat(new PathGlob("[ab]|.*").matches("a")).isFalse();
    assertThat(new PathGlob("[ab]|.*").matches("[ab]|.xyz")).isTrue();
    assertThat(new PathGlob("(x)+\\y").matches("(x)+\\y")).isTrue();
    assertThat(new PathGlob("ünï/çødé.md").matches("ünï/çødé.md")).isTrue();
  }

  @Test
  @DisplayName("the regex escapes punctuation only, never a letter or digit")
  void regexShape() {
    assertThat(new PathGlob("src/a1.b").regex()).isEqualTo("src\\/a1\\.b");
    assertThat(new PathGlob("**/*?").regex()).isEqualTo("(?:.*/)?[^/]*[^/]");
  }

  @Test
  @DisplayName("an empty or overlong glob is refused")
  void limits() {
    assertThatThrownBy(() -> new PathGlob("")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new PathGlob("a".repeat(PathGlob.MAX_LENGTH + 1)))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("matches as its regex does, on 20,000 random short globs and paths")
  void matchesAsTheRegex() {
    List<String> pieces = List.of("a", "b", "/", "*", "?", "**", "**/", ".");
    Random random = new Random(16);
    for (int run = 0; run < 20_000; run++) {
      StringBuilder glob = new StringBuilder();
      for (int k = 1 + random.nextInt(6); k > 0; k--) {
        glob.append(pieces.get(random.nextInt(pieces.size())));
      }
      StringBuilder path = new StringBuilder();
      for (int k = random.nextInt(9); k > 0; k--) {
        path.append("ab/.".charAt(random.nextInt(4)));
      }
      PathGlob matcher = new PathGlob(glob.toString());
      boolean expected = Pattern.compile(matcher.regex(), Pattern.DOTALL).matcher(path).matches();
      assertThat(matcher.matches(path.toString()))
          .as("glob %s on path %s", glob, path)
          .isEqualTo(expected);
    }
  }

  @Test
  @DisplayName(
      "globs that make a backtracking regex take exponential time match in linear time:"
          + " **/ 300 times over 400 directories, *a 300 times over 1,000 characters")
  void pathologicalGlobsAreLinear() {
    PathGlob directories = new PathGlob("**/".repeat(300) + "z");
    PathGlob stars = new PathGlob("*a".repeat(300) + "z");
    long started = System.nanoTime();
    assertThat(directories.matches("a/".repeat(400) + "b")).isFalse();
    assertThat(directories.matches("a/".repeat(400) + "z")).isTrue();
    assertThat(stars.matches("a".repeat(1_000))).isFalse();
    assertThat(stars.matches("a".repeat(1_000) + "z")).isTrue();
    // ~10 ms here; the regex took 29 s for **/ 8 times over 40 directories (a loaded machine may
    // be 50 times slower, still far from that)
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
  }
}
