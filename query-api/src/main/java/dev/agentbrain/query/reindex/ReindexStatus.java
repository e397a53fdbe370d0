package dev.agentbrain.query.reindex;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.query.StatusSection;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.topics.Topics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code reindex} section of {@code /health/status} and {@code /indexes/{name}}: for every
 * version of an index newer than its live one (a reindex in progress, or built and not yet
 * promoted), the same figures the reindex command prints — documents done / total, chunks per
 * backend, rate, time left — read from Kafka and the backends, so a query API on any host shows
 * them. Answers are cached for a few seconds: a status page polled by many clients costs Kafka one
 * look-up per index and period.
 */
public final class ReindexStatus implements StatusSection {

  private static final Logger LOG = LoggerFactory.getLogger(ReindexStatus.class);
  private static final Duration FRESH = Duration.ofSeconds(3);

  private record Cached(List<Object> value, Instant at) {}

  private final ContractRegistry contracts;
  private final ReindexProgress progress;
  private final Clock clock;
  private final Map<String, Cached> cache = new ConcurrentHashMap<>();

  public ReindexStatus(ContractRegistry contracts, ReindexProgress progress, Clock clock) {
    this.contracts = contracts;
    this.progress = progress;
    this.clock = clock;
  }

  /**
   * The section for a query API: progress read through {@code admin} and the API's own retrievers
   * (neither is closed here).
   */
  public static ReindexStatus of(
      ContractRegistry contracts, Admin admin, Topics topics, Map<Backend, Retriever> retrievers) {
    Map<String, Retriever> byName = new LinkedHashMap<>();
    retrievers.forEach((backend, retriever) -> byName.put(backend.id(), retriever));
    return new ReindexStatus(
        contracts, new ReindexProgress(admin, topics, byName), Clock.systemUTC());
  }

  @Override
  public String name() {
    return "reindex";
  }

  /** Every index with a version in progress, by index name. */
  @Override
  public Object status() {
    Map<String, Object> byIndex = new TreeMap<>();
    try {
      for (String index : contracts.indexes()) {
        List<Object> versions = versions(index);
        if (!versions.isEmpty()) {
          byIndex.put(index, versions);
        }
      }
    } catch (RuntimeException e) {
      return Map.of("error", unavailable(e));
    }
    return byIndex;
  }

  @Override
  public Optional<Object> indexStatus(String index) {
    try {
      List<Object> versions = versions(index);
      return versions.isEmpty() ? Optional.empty() : Optional.of(versions);
    } catch (RuntimeException e) {
      return Optional.of(Map.of("error", unavailable(e)));
    }
  }

  private List<Object> versions(String index) {
    Instant now = clock.instant();
    Cached cached = cache.get(index);
    if (cached != null && cached.at().plus(FRESH).isAfter(now)) {
      return cached.value();
    }
    int live = contracts.live(index).map(EmbeddingContract::getVersion).orElse(0);
    List<Object> versions = new ArrayList<>();
    for (EmbeddingContract contract : contracts.versions(index)) {
      if (contract.getVersion() > live) {
        versions.add(progress.sample(index, contract.getVersion()));
      }
    }
    List<Object> value = List.copyOf(versions);
    cache.put(index, new Cached(value, now));
    return value;
  }

  private static String unavailable(RuntimeException e) {
    LOG.warn("reindex progress unavailable: {}", e.getMessage());
    return "reindex progress is not available right now (Kafka or the registry did not answer)";
  }
}
