package dev.agentbrain.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SimilarityTest {

  @Test
  @DisplayName("cosine is 1 for the same direction, -1 for the opposite, 0 at right angles")
  void cosineOfKnownAngles() {
    float[] east = {2, 0};

    assertThat(Similarity.cosine(east, new float[] {5, 0})).isEqualTo(1.0);
    assertThat(Similarity.cosine(east, new float[] {-1, 0})).isEqualTo(-1.0);
    assertThat(Similarity.cosine(east, new float[] {0, 3})).isEqualTo(0.0);
    assertThat(Similarity.cosine(new float[] {3, 4}, new float[] {4, 3}))
        .isCloseTo(24.0 / 25.0, within(1e-12));
  }

  @Test
  @DisplayName("a vector of zeros has no direction: its cosine with anything is 0")
  void zerosHaveCosineZero() {
    assertThat(Similarity.cosine(new float[3], new float[] {1, 2, 3})).isZero();
    assertThat(Similarity.cosine(new float[] {1, 2, 3}, new float[3])).isZero();
  }

  @Test
  @DisplayName("vectors of different lengths are refused, naming both lengths")
  void lengthsMustMatch() {
    assertThatThrownBy(() -> Similarity.cosine(new float[2], new float[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("vectors of 2 and 3 dimensions have no cosine");
  }
}
