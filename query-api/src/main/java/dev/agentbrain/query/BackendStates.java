package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The backends' states as last probed ({@link SearchService#probe}), so that {@code GET /health}
 * costs nothing however often it is called: the backends are probed again only once the last probe
 * is older than {@code maxAge}, by one caller while the others are answered the last states. The
 * very first call waits for the first probe: a state is never reported before it was seen.
 *
 * <p>Thread-safe.
 */
final class BackendStates {

  /**
   * States probed at one moment.
   *
   * @param states each backend's state, in the order of the backends
   * @param at when the probe started
   * @param nanos {@link System#nanoTime} when the probe started
   */
  record Probed(Map<Backend, String> states, Instant at, long nanos) {}

  private final List<Backend> backends;
  private final Function<Backend, String> probe;
  private final long maxAgeNanos;
  private final LongSupplier nanoTime;
  private final ReentrantLock probing = new ReentrantLock();
  private volatile Probed last;

  /**
   * @param probe a backend's state, never throwing
   * @param nanoTime the clock that ages the states
   */
  BackendStates(
      List<Backend> backends,
      Function<Backend, String> probe,
      Duration maxAge,
      LongSupplier nanoTime) {
    this.backends = List.copyOf(backends);
    this.probe = probe;
    this.maxAgeNanos = maxAge.toNanos();
    this.nanoTime = nanoTime;
  }

  /** The latest states: probed now when they are too old and no other caller is probing. */
  Probed current() {
    Probed seen = last;
    if (seen != null && nanoTime.getAsLong() - seen.nanos() < maxAgeNanos) {
      return seen;
    }
    if (seen == null) {
      probing.lock();
    } else if (!probing.tryLock()) {
      return seen;
    }
    try {
      Probed now = last;
      if (now == null || nanoTime.getAsLong() - now.nanos() >= maxAgeNanos) {
        long started = nanoTime.getAsLong();
        Instant at = Instant.now();
        Map<Backend, String> states = new LinkedHashMap<>();
        backends.forEach(backend -> states.put(backend, probe.apply(backend)));
        now = new Probed(Collections.unmodifiableMap(states), at, started);
        last = now;
      }
      return now;
    } finally {
      probing.unlock();
    }
  }
}
