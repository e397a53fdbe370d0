package dev.agentbrain.bench.scale;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ExactNeighboursTest {

  @Test
  @DisplayName("keeps the k most similar vectors of each query, ties by chunk id")
  void keepsTheNearest() {
    ExactNeighbours exact = new ExactNeighbours(List.of(new float[] {1, 0}, new float[] {0, 1}), 2);
    exact.offer("far", new float[] {0, 1});
    exact.offer("near", new float[] {1, 0});
    exact.offer("b-tie", new float[] {0.6f, 0.8f});
    exact.offer("a-tie", new float[] {0.6f, 0.8f});

    // query 0: near (1.0), then a-tie and b-tie at 0.6: a-tie wins by id
    assertThat(exact.recall(0, List.of("near", "a-tie"))).isEqualTo(1.0);
    assertThat(exact.recall(0, List.of("near", "b-tie"))).isEqualTo(0.5);
    // query 1: far (1.0), a-tie (0.8)
    assertThat(exact.recall(1, List.of("a-tie", "far"))).isEqualTo(1.0);
    assertThat(exact.recall(1, List.of("near", "b-tie", "far"))).isZero();
  }

  @Test
  @DisplayName("with nothing offered, any answer has recall 1")
  void emptyIsComplete() {
    assertThat(new ExactNeighbours(List.of(new float[] {1}), 10).recall(0, List.of())).isEqualTo(1);
  }
}
