package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
