package dev.agentbrain.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The one retry loop: runs an attempt until it succeeds, retrying what {@link Failures#classify}
 * calls {@link Failure.Kind#TRANSIENT} (or, {@link #everyKind}, every failure), after the pause the
 * failure asks for ({@code Retry-After}, up to {@link RetryPolicy#LONGEST_RETRY_AFTER}) or else the
 * policy's backoff with jitter.
 *
 * <p>Immutable; {@link #call} may run on any thread, and concurrently.
 */
public final class Retry {

  /** How to spend a pause: sleeping by default; a Kafka consumer polls (paused) instead. */
  @FunctionalInterface
  public interface Waiter {
    void await(Duration pause) throws InterruptedException;
  }

  /** Told of every retry before its pause, e.g. to log it or count it. */
  @FunctionalInterface
  public interface Listener {
    /**
     * @param failure the transient failure being retried
     * @param retry 1 for the first retry
     * @param pause how long until the retry
     */
    void retrying(Failure failure, int retry, Duration pause);
  }

  private final RetryPolicy policy;
  private final boolean everyKind;
  private final Waiter waiter;
  private final BooleanSupplier keepTrying;
  private final Listener listener;

  private Retry(
      RetryPolicy policy,
      boolean everyKind,
      Waiter waiter,
      BooleanSupplier keepTrying,
      Listener listener) {
    this.policy = Objects.requireNonNull(policy);
    this.everyKind = everyKind;
    this.waiter = Objects.requireNonNull(waiter);
    this.keepTrying = Objects.requireNonNull(keepTrying);
    this.listener = Objects.requireNonNull(listener);
  }

  /**
   * Retries transient failures as {@code policy} says, sleeping between attempts, telling no one.
   */
  public static Retry with(RetryPolicy policy) {
    return new Retry(policy, false, Thread::sleep, () -> true, (failure, retry, pause) -> {});
  }

  /**
   * The same retry, retrying failures of every kind: for a loop that holds nothing it could lose
   * and must keep going whatever happens (a feed that re-reads from what it applied), and that
   * reports its trouble through its {@link #onRetry listener}.
   */
  public Retry everyKind() {
    return new Retry(policy, true, waiter, keepTrying, listener);
  }

  /** The same retry, spending its pauses with {@code waiter}. */
  public Retry waitingWith(Waiter waiter) {
    return new Retry(policy, everyKind, waiter, keepTrying, listener);
  }

  /**
   * The same retry, giving up (with the last failure) as soon as {@code keepTrying} says false,
   * e.g. when its worker is stopped or no longer owns the work. Asked after every failed attempt
   * and every pause.
   */
  public Retry whileTrue(BooleanSupplier keepTrying) {
    return new Retry(policy, everyKind, waiter, keepTrying, listener);
  }

  /** The same retry, telling {@code listener} of each retry. */
  public Retry onRetry(Listener listener) {
    return new Retry(policy, everyKind, waiter, keepTrying, listener);
  }

  /**
   * Runs {@code attempt} until it returns.
   *
   * @return what the first successful attempt returned
   * @throws RuntimeException the attempt's own exception, unchanged, when it is not transient, when
   *     the retries are spent, when the failure asks to wait longer than {@link
   *     RetryPolicy#LONGEST_RETRY_AFTER}, or when {@code keepTrying} said false
   * @throws InterruptedException when interrupted during a pause
   */
  public <T> T call(Supplier<T> attempt) throws InterruptedException {
    for (int retry = 1; ; retry++) {
      try {
        return attempt.get();
      } catch (RuntimeException e) {
        Failure failure = Failures.classify(e);
        if ((!failure.isTransient() && !everyKind)
            || retry > policy.maxRetries()
            || !keepTrying.getAsBoolean()) {
          throw e;
        }
        Duration pause =
            failure.retryAfter().isPresent()
                ? failure.retryAfter().get()
                : policy.backoff(retry, ThreadLocalRandom.current());
        if (pause.compareTo(RetryPolicy.LONGEST_RETRY_AFTER) > 0) {
          throw e;
        }
        listener.retrying(failure, retry, pause);
        waiter.await(pause);
        if (!keepTrying.getAsBoolean()) {
          throw e;
        }
      }
    }
  }

  /** {@link #call} for an attempt that returns nothing. */
  public void run(Runnable attempt) throws InterruptedException {
    call(
        () -> {
          attempt.run();
          return null;
        });
  }
}
