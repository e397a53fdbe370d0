package dev.agentbrain.cli.lifecycle;

import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.reconciliation.Settling;
import dev.agentbrain.topics.SinkLag;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.TopicPartition;

/**
 * Waits until the sinks of the given backends have committed everything the chunks topic held when
 * the wait began: then each backend has every write that was made before, and a document that still
 * differs is not lag.
 */
public final class SinkSettling implements Settling {

  private static final Duration POLL = Duration.ofMillis(500);

  private final SinkLag lag;
  private final List<Backend> backends;
  private final Duration timeout;

  /** Waiting for {@code backends}' sinks, for at most {@code timeout}. */
  public SinkSettling(SinkLag lag, List<Backend> backends, Duration timeout) {
    this.lag = lag;
    this.backends = List.copyOf(backends);
    this.timeout = timeout;
  }

  @Override
  public boolean awaitCaughtUp() throws InterruptedException {
    Map<TopicPartition, Long> targets = lag.endOffsets();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      if (backends.stream().allMatch(b -> lag.caughtUp(b, targets))) {
        return true;
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(POLL.toMillis()); // polling Kafka's offsets: nothing to be notified by
    }
  }
}
