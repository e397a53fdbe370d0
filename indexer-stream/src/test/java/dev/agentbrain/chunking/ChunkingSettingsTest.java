package dev.agentbrain.chunking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkingSettingsTest {

  @Test
  @DisplayName("defaults are 400 tokens with 50 overlap, or the model's limit when lower")
  void defaults() {
    assertThat(ChunkingSettings.forModelLimit(510)).isEqualTo(new ChunkingSettings(400, 50));
    assertThat(ChunkingSettings.forModelLimit(126)).isEqualTo(new ChunkingSettings(126, 15));
  }

  @Test
  @DisplayName("a chunk size below 16 tokens is refused")
  void tooSmall() {
    assertThatThrownBy(() -> new ChunkingSettings(8, 0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("at least 16");
  }

  @Test
  @DisplayName("an overlap above half the chunk size is refused")
  void overlapTooBig() {
    assertThatThrownBy(() -> new ChunkingSettings(100, 51))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("between 0 and half");
  }
}
