package dev.agentbrain.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanguageTest {

  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource({
    "markdown, MARKDOWN",
    "'text/markdown; charset=utf-8', MARKDOWN",
    ".md, MARKDOWN",
    "Java, JAVA",
    "py, PYTHON",
    "tsx, TYPESCRIPT",
    "application/javascript, JAVASCRIPT",
    "golang, GO",
    "text, TEXT",
    "rst, TEXT",
    "'', TEXT"
  })
  @DisplayName("names, extensions and media types map to a language, anything else to text")
  void names(String name, Language language) {
    assertThat(Language.of(name)).isEqualTo(language);
  }
}
