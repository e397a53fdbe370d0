package dev.agentbrain.sink;

import dev.agentbrain.deadletter.Stage;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * What one backend's sink is doing, for health checks and people.
 *
 * @param stage the sink ({@link Stage#SINK_POSTGRES} or {@link Stage#SINK_CHROMA})
 * @param state what it is doing
 * @param reason why it is not {@link State#RUNNING}, in words; empty when it is
 * @param since when it entered this state
 * @param restarts how often its worker has been restarted after an unexpected failure
 * @param unwrittenSince when the oldest record it holds unwritten was read; empty when it holds
 *     none
 * @param lag records of the chunks topic it has not written yet, as of its last poll
 */
public record SinkStatus(
    Stage stage,
    State state,
    String reason,
    Instant since,
    long restarts,
    Optional<Instant> unwrittenSince,
    long lag) {

  /** A sink holding records unwritten for longer than this is stalled, whatever its state. */
  public static final Duration STALLED_AFTER = Duration.ofMinutes(2);

  /** The states of a sink. */
  public enum State {
    /** Not polling yet: the worker is starting (or restarting after {@link #FAILED}). */
    STARTING,
    /** Polling and writing. */
    RUNNING,
    /** Its backend fails transiently: partitions paused, the same records retried with backoff. */
    WAITING,
    /** Its worker failed unexpectedly and is restarted after a backoff; nothing was committed. */
    FAILED,
    /** Stopped on request. */
    STOPPED
  }

  /**
   * Ready when running and not stalled: a sink that waits for its backend, failed, or holds records
   * unwritten for longer than {@link #STALLED_AFTER} is not.
   */
  public boolean ready(Instant now) {
    return state == State.RUNNING
        && unwrittenSince.map(t -> t.plus(STALLED_AFTER).isAfter(now)).orElse(true);
  }

  /** Why it is not ready at {@code now}, in words; empty when it is. */
  public String problem(Instant now) {
    if (state != State.RUNNING) {
      return reason;
    }
    return ready(now)
        ? ""
        : "stalled: holds records unwritten since %s".formatted(unwrittenSince.orElseThrow());
  }
}
