package dev.agentbrain.registry;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether what a process last read from the registry (contracts, roles) may be out of date, and
 * since when: from the first failed refresh until the next one that succeeds. Logs one line when an
 * outage begins and one when it ends. Thread-safe.
 */
public final class Staleness {

  private static final Logger LOG = LoggerFactory.getLogger(Staleness.class);

  private final String what;
  private final AtomicReference<Instant> since = new AtomicReference<>();

  /**
   * @param what what is read, for the log ("index contracts", "backend roles")
   */
  public Staleness(String what) {
    this.what = what;
  }

  /** A refresh succeeded: what is held is current again. */
  public void refreshed() {
    Instant was = since.getAndSet(null);
    if (was != null) {
      LOG.info("the registry answers again: {} refreshed (stale since {})", what, was);
    }
  }

  /** A refresh failed at {@code now}: what was read before stays in force. */
  public void failed(Instant now, RegistryException e) {
    if (since.compareAndSet(null, now)) {
      LOG.warn(
          "the registry is not reachable: keeping the {} read before, which may be stale ({})",
          what,
          e.getMessage());
    }
  }

  /** Since when refreshes have failed; empty while they succeed. */
  public Optional<Instant> since() {
    return Optional.ofNullable(since.get());
  }
}
