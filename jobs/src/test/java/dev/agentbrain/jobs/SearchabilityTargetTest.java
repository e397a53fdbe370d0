package dev.agentbrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.DocumentVersions;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SearchabilityTargetTest {

  private static final long CLOCK = 1_765_000_000_000_000L;

  @Test
  @DisplayName("a store versioned by the publisher's clock reaches the target at its version")
  void clockVersions() {
    Searchability.Target target = new Searchability.Target(CLOCK, 41);

    assertThat(target.reachedBy(CLOCK - 1)).isFalse();
    assertThat(target.reachedBy(CLOCK)).isTrue();
  }

  @Test
  @DisplayName(
      "a store versioned by the log reaches the target at the record's offset, not before: an"
          + " older log version is still the old text")
  void logVersions() {
    Searchability.Target target = new Searchability.Target(CLOCK, 41);

    assertThat(target.reachedBy(DocumentVersions.FROM_LOG + 40)).isFalse();
    assertThat(target.reachedBy(DocumentVersions.FROM_LOG + 41)).isTrue();
    assertThat(target.reachedBy(DocumentVersions.FROM_LOG + 42)).isTrue();
  }

  @Test
  @DisplayName("without a known offset any log version is newer than a clock version")
  void unknownOffset() {
    assertThat(new Searchability.Target(CLOCK, -1).reachedBy(DocumentVersions.FROM_LOG)).isTrue();
  }
}
