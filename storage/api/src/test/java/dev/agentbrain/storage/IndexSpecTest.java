package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IndexSpecTest {

  private final IndexSpec spec = new IndexSpec("docs_v1", 3, "bge-small-en-v1.5-q", "english");

  @ParameterizedTest
  @ValueSource(strings = {"ab", "docs_", "_docs", "1docs", "Docs_v1", "docs-v1", "docs;drop", ""})
  @DisplayName("names that are not both a safe table name and a Chroma collection name are refused")
  void unsafeNamesAreRefused(String name) {
    assertThatThrownBy(() -> IndexSpec.requireValidName(name))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"abc", "docs_v1", "a23456789012345678901234567890123456789012345678"})
  @DisplayName("names of 3 to 48 safe characters are accepted")
  void safeNamesAreAccepted(String name) {
    assertThat(IndexSpec.requireValidName(name)).isEqualTo(name);
  }

  @Test
  @DisplayName("a text-search language that could break out of SQL is refused")
  void unsafeTextSearchLanguageIsRefused() {
    assertThatThrownBy(() -> new IndexSpec("docs_v1", 3, "m", "english'::regconfig); drop"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("a vector of the wrong length is a contract mismatch naming both lengths")
  void wrongLengthNamesBoth() {
    assertThatThrownBy(() -> spec.requireUsable(new float[5], "chunk c1"))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("5 dimensions")
        .hasMessageContaining("expects 3");
  }

  @Test
  @DisplayName("a vector with NaN or only zeros is refused")
  void nanAndZeroVectorsAreRefused() {
    assertThatThrownBy(() -> spec.requireUsable(new float[] {1, Float.NaN, 0}, "chunk c1"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("non-finite");
    assertThatThrownBy(() -> spec.requireUsable(new float[3], "chunk c1"))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("zeros");
  }

  @Test
  @DisplayName("a stored index with other dimensions is a mismatch naming both values")
  void storedIndexWithOtherDimensions() {
    IndexSpec stored = new IndexSpec("docs_v1", 768, "bge-small-en-v1.5-q", "english");

    assertThatThrownBy(() -> spec.requireMatches(stored, "PostgreSQL"))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageStartingWith(
            "index docs_v1 in PostgreSQL has dimensions 768, but the contract expects 3");
  }

  @Test
  @DisplayName("a stored index with another text-search language is a mismatch")
  void storedIndexWithOtherLanguage() {
    IndexSpec stored = new IndexSpec("docs_v1", 3, "bge-small-en-v1.5-q", "simple");

    assertThatThrownBy(() -> spec.requireMatches(stored, "Chroma"))
        .isInstanceOf(ContractMismatchException.class)
        .hasMessageContaining("text-search language simple, but the contract expects english");
  }

  @Test
  @DisplayName("a finite vector of the right length is usable")
  void usableVector() {
    spec.requireUsable(new float[] {0, 0.5f, -1}, "query");
  }
}
