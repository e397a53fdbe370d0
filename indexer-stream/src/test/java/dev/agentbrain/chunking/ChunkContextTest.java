package dev.agentbrain.chunking;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ChunkContextTest {

  @Test
  void aChunkFromTheMiddleIsEmbeddedUnderItsHeadingPath() {
    assertThat(new Chunk("text", 3, "Guide > Install", 10, 14, 1).withContext())
        .isEqualTo("Guide > Install\n\ntext");
  }

  @Test
  void theFirstChunkAndOneWithoutHeadingsAreEmbeddedAsTheyAre() {
    assertThat(new Chunk("# Guide\n\ntext", 0, "Guide", 0, 13, 3).withContext())
        .isEqualTo("# Guide\n\ntext");
    assertThat(new Chunk("text", 2, "", 10, 14, 1).withContext()).isEqualTo("text");
  }
}
