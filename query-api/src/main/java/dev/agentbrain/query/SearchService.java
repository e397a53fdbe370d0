package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.UnsupportedSearchException;
import dev.agentbrain.storage.VectorQuery;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers searches: resolves the index's live version, checks that its contract can be served,
 * embeds the query (cached), asks the chosen backend and fuses the rankings. Thread-safe; at most
 * {@link Admission#maxInFlight()} searches and counts run at once.
 *
 * <p>Every failure leaves as an {@link ApiException} whose message a client may see: 404 unknown
 * index, 409 contract the service cannot serve, 429 saturated, 501 a search the backend cannot do,
 * 503 backend or registry unreachable. Backend messages are logged, never passed on.
 */
public final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);

  /** The chunk id a probe looks up; no chunk has it, so the backend answers from its id index. */
  private static final String PROBE_CHUNK = "health-probe";

  private final ContractRegistry registry;
  private final LiveContracts contracts;
  private final Map<Backend, Retriever> retrievers;
  private final Supplier<Backend> primary;
  private final QueryEmbedder embedder;
  private final ServableContracts servable;
  private final Admission admission;
  private final List<SearchObserver> observers = new CopyOnWriteArrayList<>();

  SearchService(
      ContractRegistry registry,
      LiveContracts contracts,
      Map<Backend, Retriever> retrievers,
      Supplier<Backend> primary,
      QueryEmbedder embedder,
      Admission admission) {
    if (!retrievers.containsKey(primary.get())) {
      throw new IllegalArgumentException(
          "the primary backend " + primary.get().id() + " is not configured");
    }
    this.registry = registry;
    this.contracts = contracts;
    this.retrievers = Collections.unmodifiableMap(new EnumMap<>(retrievers));
    this.primary = primary;
    this.embedder = embedder;
    this.servable = new ServableContracts(embedder);
    this.admission = admission;
  }

  /**
   * The backend that answers unless a request overrides it. Read per request: the roles may change
   * while the service runs ({@code agent-brain shadow promote}).
   */
  public Backend primary() {
    return primary.get();
  }

  /** Every backend this service can ask. */
  public Set<Backend> backends() {
    return retrievers.keySet();
  }

  /** Adds an observer of every answered search (see {@link SearchObserver}). */
  public void observe(SearchObserver observer) {
    observers.add(observer);
  }

  /**
   * The backend named {@code name} (case-insensitive), empty for a blank name.
   *
   * @throws ApiException 400 when no such backend is configured
   */
  public Optional<Backend> backendNamed(String name) {
    if (name == null || name.isBlank()) {
      return Optional.empty();
    }
    for (Backend b : retrievers.keySet()) {
      if (b.id().equalsIgnoreCase(name.strip())) {
        return Optional.of(b);
      }
    }
    throw ApiException.badRequest(
        "backend must be one of " + retrievers.keySet().stream().map(Backend::id).toList());
  }

  /**
   * The backend a request asks for, empty for the primary. Asking for one other than the primary is
   * an admin's right.
   *
   * @param admin whether the caller holds admin rights (see {@link ApiAuth#isAdmin})
   * @throws ApiException 400 unknown backend, 403 another backend than the primary without admin
   */
  public Optional<Backend> backendOverride(String requested, boolean admin) {
    Optional<Backend> backend = backendNamed(requested);
    if (backend.isPresent() && backend.get() != primary() && !admin) {
      throw ApiException.forbidden(
          "choosing the backend ('backend') needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    }
    return backend;
  }

  /**
   * Runs a search.
   *
   * @throws ApiException see the class comment
   */
  public QueryResponse search(SearchRequest request) {
    QueryResponse response = admission.run(() -> run(request));
    for (SearchObserver observer : observers) {
      try {
        observer.searched(request, response);
      } catch (RuntimeException e) {
        LOG.warn("search observer {} failed", observer.getClass().getName(), e);
      }
    }
    return response;
  }

  /**
   * Runs a search outside admission control and without telling the observers: for replaying a live
   * search on a shadow backend, which must never take a slot from a caller (the replays bound their
   * own concurrency).
   *
   * @throws ApiException see the class comment
   */
  public QueryResponse replay(SearchRequest request) {
    return run(request);
  }

  private QueryResponse run(SearchRequest request) {
    long started = System.nanoTime();
    Backend backend = request.backend().orElseGet(primary);
    EmbeddingContract contract = liveContract(request.index());
    servable.requireServable(contract);
    String physical = physicalName(contract);
    Retriever retriever = retrievers.get(backend);
    SearchMode mode = request.mode();
    // one more than the page, to know whether a next page exists; fused modes rank deeper
    int wanted = request.offset() + request.topK() + 1;
    int depth = Fusion.candidates(mode, wanted);
    // a single-retriever search can leave the threshold to the backend; a fused one cannot
    double pushedThreshold = mode instanceof SearchMode.Vector ? request.similarityThreshold() : 0;
    List<Fusion.Fused> ranked =
        onBackend(
            backend,
            contract,
            () -> {
              List<SearchHit> vector =
                  mode.usesVectors()
                      ? retriever.vectorSearch(
                          physical,
                          new VectorQuery(
                              embedder.embed(contract, request.text()),
                              depth,
                              pushedThreshold,
                              request.filter()))
                      : List.of();
              List<SearchHit> keyword =
                  mode.usesKeywords()
                      ? retriever.keywordSearch(
                          physical, new KeywordQuery(request.text(), depth, request.filter()))
                      : List.of();
              return Fusion.fuse(mode, vector, keyword, depth);
            });
    List<Fusion.Fused> passing =
        ranked.stream()
            .filter(f -> Similarity.passes(f.score(), request.similarityThreshold()))
            .toList();
    int from = Math.min(request.offset(), passing.size());
    int to = Math.min(from + request.topK(), passing.size());
    List<QueryResult> results = new ArrayList<>(to - from);
    for (Fusion.Fused f : passing.subList(from, to)) {
      results.add(result(f, request.explain() ? explanation(f, mode, depth) : null));
    }
    Integer next = to < passing.size() ? to : null;
    double millis = (System.nanoTime() - started) / 1e6;
    return new QueryResponse(
        results,
        millis,
        results.size(),
        backend.id(),
        mode.name(),
        contract.getVersion(),
        request.offset(),
        next);
  }

  private static QueryResult result(Fusion.Fused f, QueryResult.Explanation explain) {
    ChunkRecord chunk = f.chunk();
    return new QueryResult(
        chunk.text(),
        chunk.source(),
        f.score(),
        f.vectorScore(),
        f.bm25Score(),
        chunk.chunkId(),
        chunk.sourceType(),
        chunk.language(),
        chunk.metadata(),
        explain);
  }

  private static QueryResult.Explanation explanation(Fusion.Fused f, SearchMode mode, int depth) {
    return new QueryResult.Explanation(
        mode.name(),
        f.vectorRank() == null ? null : new QueryResult.Ranked(f.vectorRank(), f.vectorScore()),
        f.bm25Rank() == null ? null : new QueryResult.Ranked(f.bm25Rank(), f.bm25Score()),
        depth);
  }

  /**
   * How many chunks of the index's live version match the filter.
   *
   * @param backend the backend to ask, empty for the primary
   */
  public long count(String index, Filter filter, Optional<Backend> backend) {
    Backend b = backend.orElseGet(primary);
    EmbeddingContract contract = liveContract(index);
    return admission.run(
        () ->
            onBackend(b, contract, () -> retrievers.get(b).count(physicalName(contract), filter)));
  }

  /**
   * One chunk of the index's live version, without its vector.
   *
   * @throws ApiException 404 when there is no such chunk
   */
  public ChunkRecord chunk(String index, String chunkId, Optional<Backend> backend) {
    Backend b = backend.orElseGet(primary);
    EmbeddingContract contract = liveContract(index);
    return admission
        .run(
            () ->
                onBackend(
                    b, contract, () -> retrievers.get(b).chunk(physicalName(contract), chunkId)))
        .orElseThrow(
            () ->
                ApiException.notFound(
                    "no chunk '" + chunkId + "' in index '" + index + "' (" + b.id() + ")"));
  }

  /**
   * The live contract of a logical index.
   *
   * @throws ApiException 400 invalid name, 404 unknown index, 503 registry unreachable
   */
  public EmbeddingContract liveContract(String index) {
    try {
      ContractRegistry.checkIndexName(index);
      return contracts
          .of(index)
          .orElseThrow(
              () ->
                  ApiException.notFound("index '" + index + "' does not exist — see GET /indexes"));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest(e.getMessage());
    } catch (RegistryException e) {
      LOG.warn("registry unreachable: {}", e.getMessage());
      throw ApiException.unavailable(
          "the schema registry is not reachable — try again shortly, or check `make status`");
    }
  }

  // the one place where backend exceptions become what a client sees
  private <T> T onBackend(Backend backend, EmbeddingContract contract, Supplier<T> call) {
    try {
      return call.get();
    } catch (NoSuchIndexException e) {
      throw ApiException.notFound(
          "index '"
              + contract.getIndex()
              + "' (version "
              + contract.getVersion()
              + ") holds nothing in "
              + backend.id()
              + " yet — publish documents to it, or wait for the indexer");
    } catch (ContractMismatchException e) {
      LOG.warn("contract mismatch on {}: {}", backend.id(), e.getMessage());
      throw ApiException.contractMismatch(
          "index '"
              + contract.getIndex()
              + "' in "
              + backend.id()
              + " does not match its contract — reindex it (the server log names the difference)");
    } catch (UnsupportedSearchException e) {
      throw new ApiException(501, e.getMessage());
    } catch (StorageUnavailableException e) {
      LOG.warn("{} unavailable: {}", backend.id(), e.getMessage());
      // also a backend that answers 5xx (Chroma refusing a search): "not reachable" would send
      // people looking at the network
      throw ApiException.unavailable(
          backend.id()
              + " did not answer: unreachable, or failing (its log says why) — try again shortly,"
              + " or check `make status`");
    } catch (StorageException e) {
      LOG.warn("{} failed: {}", backend.id(), e.getMessage(), e);
      throw ApiException.unavailable(
          "the "
              + backend.id()
              + " backend failed to answer — try again shortly, or check `make status`");
    }
  }

  /**
   * How a backend is doing: {@code ok} (it answered for the default index), {@code empty} (it
   * answered, but the default index does not exist yet) or {@code unavailable}.
   */
  public String probe(Backend backend) {
    try {
      EmbeddingContract contract = liveContract(QueryRequest.DEFAULT_INDEX);
      retrievers.get(backend).chunk(physicalName(contract), PROBE_CHUNK); // a lookup by key
      return "ok";
    } catch (NoSuchIndexException e) {
      return "empty";
    } catch (ApiException e) {
      return e.status() == 404 ? "empty" : "unavailable";
    } catch (RuntimeException e) {
      return "unavailable";
    }
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
      LOG.warn("registry unreachable: {}", e.getMessage());
      throw ApiException.unavailable(
          "the schema registry is not reachable — try again shortly, or check `make status`");
    }
  }

  /** One index, as {@link #indexes()} describes it. */
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

  Map<Backend, Retriever> retrievers() {
    return retrievers;
  }

  private IndexInfo describe(EmbeddingContract c) {
    Map<String, Long> counts = new LinkedHashMap<>();
    String physical = physicalName(c);
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
        counts,
        versions(c),
        primary().id(),
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

  private static String physicalName(EmbeddingContract c) {
    return ContractRegistry.physicalName(c.getIndex(), c.getVersion());
  }
}
