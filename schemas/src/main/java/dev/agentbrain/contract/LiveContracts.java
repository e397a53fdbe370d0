package dev.agentbrain.contract;

import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.registry.Staleness;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live contract of each index, read from the registry and cached for a short time, so that a
 * switch-over is seen within seconds without asking the registry for every document. While the
 * registry cannot be reached, an index read before keeps its last contract ({@link #staleness} says
 * since when); an index never read before throws. Thread-safe.
 */
public final class LiveContracts {

  private record Entry(Optional<EmbeddingContract> contract, Instant fetched) {}

  private final ContractRegistry registry;
  private final Duration ttl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();
  private final Staleness staleness = new Staleness("index contracts");

  public LiveContracts(ContractRegistry registry, Duration ttl, Clock clock) {
    this.registry = registry;
    this.ttl = ttl;
    this.clock = clock;
  }

  /**
   * The live contract of {@code index}, or empty when the index has none.
   *
   * @throws RegistryException when the registry cannot be reached and the index was never read
   */
  public Optional<EmbeddingContract> of(String index) {
    Instant now = clock.instant();
    Entry entry = cache.get(index);
    if (entry == null || entry.fetched().plus(ttl).isBefore(now)) {
      try {
        entry = new Entry(registry.live(index), now);
        staleness.refreshed();
      } catch (RegistryException e) {
        if (entry == null) {
          throw e;
        }
        staleness.failed(now, e);
        entry = new Entry(entry.contract(), now); // asked again after the ttl, not on every call
      }
      cache.put(index, entry);
    }
    return entry.contract();
  }

  /** Whether the contracts held may be out of date because the registry was not reachable. */
  public Staleness staleness() {
    return staleness;
  }
}
