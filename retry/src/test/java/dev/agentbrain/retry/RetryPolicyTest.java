package dev.agentbrain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private final RetryPolicy policy =
      new RetryPolicy(8, Duration.ofMillis(100), Duration.ofMillis(1000));

  @Test
  @DisplayName("the backoff doubles per retry, stops at the longest, and jitters in its upper half")
  void backoff() {
    Random random = new Random(42);
    long[] ceilings = {100, 200, 400, 800, 1000, 1000};
    for (int retry = 1; retry <= ceilings.length; retry++) {
      for (int sample = 0; sample < 50; sample++) {
        assertThat(policy.backoff(retry, random))
            .isBetween(
                Duration.ofMillis(ceilings[retry - 1] / 2), Duration.ofMillis(ceilings[retry - 1]));
      }
    }
  }

  @Test
  @DisplayName("a longest backoff below the first is refused")
  void refusesInvertedBounds() {
    assertThatThrownBy(() -> new RetryPolicy(1, Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("must be at least the first");
  }
}
