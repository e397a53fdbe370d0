package dev.agentbrain.sink;

import dev.agentbrain.retry.Failures;
import dev.agentbrain.retry.RetryPolicy;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One backend's sink: a {@link SinkWorker} on a thread of its own, replaced by a new worker on a
 * new consumer when it fails unexpectedly. The failed worker committed nothing it had not written,
 * so its successor reads on from the last commit and nothing is skipped. Restarts back off from 1 s
 * to 1 minute (reset once a worker has run for a minute), are counted ({@code
 * agentbrain.sink.restarts}) and show in {@link #status()} until a worker runs again.
 *
 * <p>Thread-safe.
 */
public final class SupervisedSink implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(SupervisedSink.class);
  private static final RetryPolicy RESTARTS =
      RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofMinutes(1));

  private final SinkParts parts;
  private final Supplier<Consumer<String, byte[]>> consumers;
  private final SinkState state;
  private final Thread thread;
  private final Object lock = new Object();
  private final CountDownLatch closed = new CountDownLatch(1);
  private volatile boolean running = true;
  private SinkWorker current;

  private SupervisedSink(
      SinkParts parts, Supplier<Consumer<String, byte[]>> consumers, Clock clock) {
    this.parts = parts;
    this.consumers = consumers;
    this.state = new SinkState(parts.stage(), clock);
    parts.metrics().readiness(state::status);
    this.thread = Thread.ofPlatform().name(parts.stage().id()).unstarted(this::supervise);
  }

  /**
   * A sink of the chunks topic into one backend, not started.
   *
   * @param consumers makes a new consumer in the backend's sink group ({@link ChunkConsumers}),
   *     once per worker
   */
  public static SupervisedSink create(
      SinkParts parts, Supplier<Consumer<String, byte[]>> consumers) {
    return new SupervisedSink(parts, consumers, Clock.systemUTC());
  }

  /** Starts the first worker. */
  public void start() {
    thread.start();
  }

  /** What the sink is doing now. */
  public SinkStatus status() {
    return state.status();
  }

  /** Records of the chunks topic this sink has not written yet (as of its last poll). */
  public long lag() {
    return state.lag();
  }

  /** Stops the worker (what it holds unwritten is not committed) and waits up to 15 s for it. */
  @Override
  public void close() {
    running = false;
    synchronized (lock) {
      if (current != null) {
        current.stop();
      }
    }
    closed.countDown(); // ends a restart backoff at once; a worker is stopped by its wakeup
    try {
      thread.join(15_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    state.enter(SinkStatus.State.STOPPED, "stopped");
  }

  private void supervise() {
    int failures = 0;
    while (running) {
      Instant started = state.now();
      try {
        SinkWorker worker = new SinkWorker(parts, consumers.get(), state);
        synchronized (lock) {
          if (!running) {
            worker.stop();
          }
          current = worker;
        }
        worker.run();
        return; // stopped on request
      } catch (RuntimeException | Error e) {
        if (!running) {
          return;
        }
        failures =
            Duration.between(started, state.now()).compareTo(Duration.ofMinutes(1)) > 0
                ? 1
                : failures + 1;
        Duration pause = RESTARTS.backoff(failures, ThreadLocalRandom.current());
        String reason = Failures.classify(e).message();
        LOG.error(
            "{}: the sink worker failed ({}); nothing unwritten was committed, a new worker"
                + " starts in {} ms",
            parts.stage().id(),
            reason,
            pause.toMillis(),
            e);
        state.enter(
            SinkStatus.State.FAILED,
            "the sink worker failed (%s) and restarts; restarts so far: %d"
                .formatted(reason, state.status().restarts() + 1));
        state.restarted();
        parts.metrics().restarted();
        try {
          if (closed.await(pause.toMillis(), TimeUnit.MILLISECONDS)) {
            return;
          }
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
        state.enter(SinkStatus.State.STARTING, "the sink worker restarts after a failure");
      }
    }
  }
}
