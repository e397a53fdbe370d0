package dev.agentbrain.topics;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SinkLagTest {

  private static final TopicPartition P0 = new TopicPartition("chunks", 0);
  private static final TopicPartition P1 = new TopicPartition("chunks", 1);

  @Test
  @DisplayName(
      "a sink that committed its last record + 1 is caught up: the marker after it is not lag")
  void caughtUpIsZero() {
    // records at 0..8, the transaction's marker at 9, last stable offset 10; the sink commits 9
    assertThat(SinkLag.lag(Map.of(P0, 10L, P1, 4L), Map.of(P0, 9L, P1, 3L))).isZero();
  }

  @Test
  @DisplayName(
      "records not committed count, summed over partitions; nothing committed is all behind")
  void behind() {
    assertThat(SinkLag.lag(Map.of(P0, 10L, P1, 4L), Map.of(P0, 5L))).isEqualTo(4 + 3);
  }

  @Test
  @DisplayName("an empty partition, or a commit at the end, is no lag")
  void emptyAndEnd() {
    assertThat(SinkLag.lag(Map.of(P0, 0L, P1, 6L), Map.of(P1, 6L))).isZero();
  }
}
