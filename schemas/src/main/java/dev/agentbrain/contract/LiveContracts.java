package dev.agentbrain.contract;

import dev.agentbrain.events.EmbeddingContract;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live contract of each index, read from the registry and cached for a short time, so that a
 * switch-over is seen within seconds without asking the registry for every document.
 */
public final class LiveContracts {

  private record Entry(Optional<EmbeddingContract> contract, Instant fetched) {}

  private final ContractRegistry registry;
  private final Duration ttl;
  private final Clock clock;
  private final ConcurrentHashMap<String, Entry> cache = new ConcurrentHashMap<>();

  public LiveContracts(ContractRegistry registry, Duration ttl, Clock clock) {
    this.registry = registry;
    this.ttl = ttl;
    this.clock = clock;
  }

  /** The live contract of {@code index}, or empty when the index has none. */
  public Optional<EmbeddingContract> of(String index) {
    Instant now = clock.instant();
    Entry entry = cache.get(index);
    if (entry == null || entry.fetched().plus(ttl).isBefore(now)) {
      entry = new Entry(registry.live(index), now);
      cache.put(index, entry);
    }
    return entry.contract();
  }
}
