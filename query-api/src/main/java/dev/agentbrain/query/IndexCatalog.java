package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Retriever;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The indexes this service knows, as {@code GET /indexes} and the MCP index list show them: each
 * logical index with its live contract, its registered versions, its chunks per backend and whether
 * this service can serve it ({@link ServableContracts}). Also the one place an index name becomes
 * its live contract, for the searches. Thread-safe.
 */
public final class IndexCatalog {

  private static final Logger LOG = LoggerFactory.getLogger(IndexCatalog.class);

  private final ContractRegistry registry;
  private final LiveContracts contracts;
  private final Map<Backend, Retriever> retrievers;
  private final Supplier<Backend> primary;
  private final ServableContracts servable;

  /**
   * @param retrievers the backends whose chunks are counted, in the order they are shown
   * @param primary the backend that answers queries, read per call
   * @param embedder loads the models that decide whether an index can be served
   */
  IndexCatalog(
      ContractRegistry registry,
      LiveContracts contracts,
      Map<Backend, Retriever> retrievers,
      Supplier<Backend> primary,
      QueryEmbedder embedder) {
    this.registry = registry;
    this.contracts = contracts;
    this.retrievers = Collections.unmodifiableMap(new EnumMap<>(retrievers));
    this.primary = primary;
    this.servable = new ServableContracts(embedder);
  }

  /**
   * The live contract of a logical index.
   *
   * @throws InvalidRequestException for an invalid name
   * @throws NotFoundException for an unknown index
   * @throws RegistryException when the registry does not answer
   */
  public EmbeddingContract liveContract(String index) {
    try {
      ContractRegistry.checkIndexName(index);
      return contracts
          .of(index)
          .orElseThrow(
              () ->
                  new NotFoundException("index '" + index + "' does not exist — see GET /indexes"));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException(e.getMessage());
    } catch (RegistryException e) {
      throw registryUnreachable(e);
    }
  }

  /**
   * Fails unless this service can serve the contract (see {@link ServableContracts}).
   *
   * @throws UnservableIndexException naming what differs
   */
  void requireServable(EmbeddingContract contract) {
    servable.requireServable(contract);
  }

  /** Every index with its live contract, whether it can be served, and its chunks per backend. */
  public List<IndexInfo> indexes() {
    try {
      return registry.indexes().stream()
          .map(contracts::of)
          .flatMap(Optional::stream)
          .map(this::describe)
          .toList();
    } catch (RegistryException e) {
      throw registryUnreachable(e);
    }
  }

  /**
   * One index, as {@link #indexes()} describes it.
   *
   * @throws RuntimeException as {@link #liveContract} does
   */
  public IndexInfo index(String name) {
    return describe(liveContract(name));
  }

  /**
   * Checks every live index's contract against what this service can load, so that {@code
   * /health/status} knows before the first query; the models of servable indexes are loaded.
   */
  void checkAllContracts() {
    try {
      registry.indexes().stream()
          .map(contracts::of)
          .flatMap(Optional::stream)
          .forEach(servable::check);
    } catch (RegistryException e) {
      LOG.warn("cannot check index contracts now, the registry is unreachable: {}", e.getMessage());
    }
  }

  /** The latest verdict per index checked so far. */
  Map<String, ServableContracts.Verdict> contractVerdicts() {
    return servable.verdicts();
  }

  private static RegistryException registryUnreachable(RegistryException e) {
    LOG.warn("registry unreachable: {}", e.getMessage());
    return e;
  }

  private IndexInfo describe(EmbeddingContract c) {
    Map<String, Long> counts = new LinkedHashMap<>();
    String physical = ContractRegistry.physicalName(c.getIndex(), c.getVersion());
    retrievers.forEach(
        (backend, retriever) -> {
          try {
            counts.put(backend.id(), retriever.count(physical, Filter.ALL));
          } catch (RuntimeException e) {
            counts.put(backend.id(), null); // unknown: empty or unreachable
          }
        });
    return new IndexInfo(
        c.getIndex(),
        c.getVersion(),
        c.getProvider(),
        c.getModel(),
        c.getDimensions(),
        c.getMetric().name().toLowerCase(Locale.ROOT),
        c.getNormalized(),
        c.getTextSearchLanguage(),
        c.getChunkMaxTokens(),
        c.getChunkOverlapTokens(),
        c.getChunkContext(),
        counts,
        versions(c),
        primary.get().id(),
        servable.check(c).refusal().orElse(null));
  }

  /** Every registered version of the contract's index, oldest first; the live one when unknown. */
  private List<Integer> versions(EmbeddingContract c) {
    try {
      return registry.versions(c.getIndex()).stream()
          .map(EmbeddingContract::getVersion)
          .sorted()
          .toList();
    } catch (RegistryException e) {
      return List.of(c.getVersion());
    }
  }
}
