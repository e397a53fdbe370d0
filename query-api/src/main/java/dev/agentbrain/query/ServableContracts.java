package dev.agentbrain.query;

import dev.agentbrain.events.EmbeddingContract;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which index contracts this service can serve: it must load the contract's model and the model
 * must make vectors of the contract's dimensions. Each (index, version) is checked once, at startup
 * for every live index and on first use for a version promoted later. Thread-safe.
 */
final class ServableContracts {

  private static final Logger LOG = LoggerFactory.getLogger(ServableContracts.class);

  /**
   * The outcome for one contract version.
   *
   * @param refusal why it cannot be served, empty when it can
   */
  record Verdict(String index, int version, String model, Optional<String> refusal) {}

  private final QueryEmbedder embedder;
  private final Map<String, Verdict> verdicts = new ConcurrentHashMap<>();

  ServableContracts(QueryEmbedder embedder) {
    this.embedder = embedder;
  }

  /** Checks the contract (once per version) and returns the verdict. */
  Verdict check(EmbeddingContract contract) {
    String key = contract.getIndex() + "@" + contract.getVersion();
    Verdict known = verdicts.get(key);
    if (known != null && known.version() == contract.getVersion()) {
      return known;
    }
    Verdict verdict =
        new Verdict(
            contract.getIndex(), contract.getVersion(), contract.getModel(), refusal(contract));
    // only the newest version of each index is reported
    verdicts.keySet().removeIf(k -> k.startsWith(contract.getIndex() + "@"));
    verdicts.put(key, verdict);
    verdict
        .refusal()
        .ifPresent(
            reason -> LOG.warn("refusing to serve index {}: {}", contract.getIndex(), reason));
    return verdict;
  }

  /**
   * Fails unless the contract can be served.
   *
   * @throws UnservableIndexException naming what differs
   */
  void requireServable(EmbeddingContract contract) {
    Optional<String> refusal = check(contract).refusal();
    if (refusal.isPresent()) {
      throw new UnservableIndexException(
          "index '"
              + contract.getIndex()
              + "' (version "
              + contract.getVersion()
              + ") cannot be served here: "
              + refusal.get()
              + " — run this service with a build that has the index's model, or reindex");
    }
  }

  /** The latest verdict per index, by index name. */
  Map<String, Verdict> verdicts() {
    Map<String, Verdict> byIndex = new TreeMap<>();
    verdicts.values().forEach(v -> byIndex.put(v.index(), v));
    return byIndex;
  }

  private Optional<String> refusal(EmbeddingContract contract) {
    try {
      embedder.prepare(contract);
      return Optional.empty();
    } catch (IllegalStateException e) {
      return Optional.of(e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("cannot load model {} of index {}", contract.getModel(), contract.getIndex(), e);
      return Optional.of(
          "this service cannot load the embedding model '" + contract.getModel() + "'");
    }
  }
}
