package dev.agentbrain.roles;

import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.registry.Staleness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The current roles, read from the registry at most once per {@code ttl}, so a promotion reaches
 * every process within seconds without a registry call per query. When the registry cannot be
 * reached the last known roles stay in force (a registry outage must not stop queries); a process
 * that starts while the registry is down has none yet and uses the configured roles, said stale in
 * {@link #staleness()}, until the registry answers. Thread-safe.
 */
public final class LiveRoles implements Supplier<Roles> {

  private static final Logger LOG = LoggerFactory.getLogger(LiveRoles.class);

  private record Entry(Roles roles, Instant fetched) {}

  private final BackendRoles roles;
  private final Duration ttl;
  private final Clock clock;
  private final Staleness staleness = new Staleness("backend roles");
  private volatile Entry entry;

  public LiveRoles(BackendRoles roles, Duration ttl, Clock clock) {
    this.roles = roles;
    this.ttl = ttl;
    this.clock = clock;
  }

  @Override
  public Roles get() {
    Entry known = entry;
    Instant now = clock.instant();
    if (known != null && known.fetched().plus(ttl).isAfter(now)) {
      return known.roles();
    }
    try {
      Roles current = roles.current();
      if (known != null && !known.roles().equals(current)) {
        LOG.info("backend roles changed: {}", current);
      }
      entry = new Entry(current, now);
      staleness.refreshed();
      return current;
    } catch (RegistryException e) {
      Roles held = known != null ? known.roles() : roles.configured();
      if (known == null) {
        LOG.warn("the registry did not answer; the configured roles hold until it does: {}", held);
      }
      staleness.failed(now, e);
      entry = new Entry(held, now);
      return held;
    }
  }

  /** Whether the roles held may be out of date because the registry was not reachable. */
  public Staleness staleness() {
    return staleness;
  }
}
