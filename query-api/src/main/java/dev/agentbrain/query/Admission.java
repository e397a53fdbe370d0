package dev.agentbrain.query;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Backpressure: at most {@code maxInFlight} searches run at once; a request that cannot start
 * within {@code maxWait} is refused ({@link SaturatedException}), so overload answers quickly
 * instead of piling up threads, connections and memory. Thread-safe.
 */
public final class Admission {

  private final Semaphore permits;
  private final int maxInFlight;
  private final Duration maxWait;
  private final AtomicLong refused = new AtomicLong();

  /**
   * @param maxInFlight searches that may run at once, at least 1
   * @param maxWait how long a request may wait for a free slot before it is refused
   */
  public Admission(int maxInFlight, Duration maxWait) {
    if (maxInFlight < 1) {
      throw new IllegalArgumentException("maxInFlight must be at least 1, not " + maxInFlight);
    }
    this.permits = new Semaphore(maxInFlight, true);
    this.maxInFlight = maxInFlight;
    this.maxWait = maxWait;
  }

  /**
   * Runs {@code work} in a slot.
   *
   * @throws SaturatedException when no slot came free in time
   * @throws UnavailableException when the thread is interrupted (the server is stopping)
   */
  public <T> T run(Supplier<T> work) {
    boolean admitted;
    try {
      admitted = permits.tryAcquire(maxWait.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("the server is shutting down — retry on another replica");
    }
    if (!admitted) {
      refused.incrementAndGet();
      throw new SaturatedException(
          "the server is answering "
              + maxInFlight
              + " searches already — retry after the number of seconds in Retry-After");
    }
    try {
      return work.get();
    } finally {
      permits.release();
    }
  }

  /** Searches running now. */
  public int inFlight() {
    return maxInFlight - permits.availablePermits();
  }

  public int maxInFlight() {
    return maxInFlight;
  }

  /** Requests refused since start. */
  public long refused() {
    return refused.get();
  }
}
