package dev.agentbrain.sink;

import dev.agentbrain.deadletter.Stage;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The live state of one sink, written by its worker and supervisor threads and read by health
 * checks from any thread.
 */
final class SinkState {

  private final Stage stage;
  private final Clock clock;
  private volatile SinkStatus.State state = SinkStatus.State.STARTING;
  private volatile String reason = "the sink worker is starting";
  private volatile Instant since;
  private volatile long restarts;
  private volatile Instant unwrittenSince;
  private volatile long lag;

  SinkState(Stage stage, Clock clock) {
    this.stage = stage;
    this.clock = clock;
    this.since = clock.instant();
  }

  synchronized void enter(SinkStatus.State next, String why) {
    if (next != state) {
      since = clock.instant();
    }
    state = next;
    reason = why;
  }

  SinkStatus.State state() {
    return state;
  }

  void restarted() {
    restarts++;
  }

  /** Records are held unwritten from now on, unless some already were. */
  void holding() {
    if (unwrittenSince == null) {
      unwrittenSince = clock.instant();
    }
  }

  /** Every record held was written (or handed to the partitions' new owners). */
  void holdingNone() {
    unwrittenSince = null;
  }

  void lag(long records) {
    lag = records;
  }

  long lag() {
    return lag;
  }

  Instant now() {
    return clock.instant();
  }

  synchronized SinkStatus status() {
    return new SinkStatus(
        stage, state, reason, since, restarts, Optional.ofNullable(unwrittenSince), lag);
  }
}
