package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers searches: resolves the index's live version and checks that its contract can be served
 * (both through the {@link IndexCatalog}), embeds the query (cached), asks the chosen backend and
 * fuses the rankings. Thread-safe; at most {@link Admission#maxInFlight()} searches and counts run
 * at once.
 *
 * <p>Failures leave as the service's own exceptions, which {@link ErrorTable} words for a client:
 * {@link InvalidRequestException}, {@link AccessDeniedException}, {@link NotFoundException} (an
 * unknown index or chunk), {@link UnservableIndexException}, {@link SaturatedException}, a
 * backend's failure as a {@link BackendException} (logged here as it happens) and the registry's as
 * a {@link RegistryException} (logged by the catalog).
 */
public final class SearchService {

  private static final Logger LOG = LoggerFactory.getLogger(SearchService.class);

  /** The chunk id a probe looks up; no chunk has it, so the backend answers from its id index. */
  private static final String PROBE_CHUNK = "health-probe";

  private final IndexCatalog catalog;
  private final Map<Backend, Retriever> retrievers;
  private final Supplier<Backend> primary;
  private final QueryEmbedder embedder;
  private final Admission admission;
  private final List<SearchObserver> observers = new CopyOnWriteArrayList<>();

  SearchService(
      IndexCatalog catalog,
      Map<Backend, Retriever> retrievers,
      Supplier<Backend> primary,
      QueryEmbedder embedder,
      Admission admission) {
    if (!retrievers.containsKey(primary.get())) {
      throw new IllegalArgumentException(
          "the primary backend " + primary.get().id() + " is not configured");
    }
    this.catalog = catalog;
    this.retrievers = Collections.unmodifiableMap(new EnumMap<>(retrievers));
    this.primary = primary;
    this.embedder = embedder;
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
   * @throws InvalidRequestException when no such backend is configured
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
    throw new InvalidRequestException(
        "backend must be one of " + retrievers.keySet().stream().map(Backend::id).toList());
  }

  /**
   * The backend a request asks for, empty for the primary. Asking for one other than the primary is
   * an admin's right.
   *
   * @param admin whether the caller holds admin rights (see {@link ApiAuth#isAdmin})
   * @throws InvalidRequestException for an unknown backend
   * @throws AccessDeniedException for another backend than the primary without admin rights
   */
  public Optional<Backend> backendOverride(String requested, boolean admin) {
    Optional<Backend> backend = backendNamed(requested);
    if (backend.isPresent() && backend.get() != primary() && !admin) {
      throw new AccessDeniedException(
          "choosing the backend ('backend') needs the admin token (AGENT_BRAIN_API_ADMIN_TOKEN)");
    }
    return backend;
  }

  /**
   * Runs a search.
   *
   * @throws RuntimeException see the class comment
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
   * @throws RuntimeException see the class comment
   */
  public QueryResponse replay(SearchRequest request) {
    return run(request);
  }

  private QueryResponse run(SearchRequest request) {
    long started = System.nanoTime();
    Backend backend = request.backend().orElseGet(primary);
    EmbeddingContract contract = catalog.liveContract(request.index());
    catalog.requireServable(contract);
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
                              embedder.embed(contract, request.text(), mode.instructedQuery()),
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
    EmbeddingContract contract = catalog.liveContract(index);
    return admission.run(
        () ->
            onBackend(b, contract, () -> retrievers.get(b).count(physicalName(contract), filter)));
  }

  /**
   * One chunk of the index's live version, without its vector.
   *
   * @throws NotFoundException when there is no such chunk
   */
  public ChunkRecord chunk(String index, String chunkId, Optional<Backend> backend) {
    Backend b = backend.orElseGet(primary);
    EmbeddingContract contract = catalog.liveContract(index);
    return admission
        .run(
            () ->
                onBackend(
                    b, contract, () -> retrievers.get(b).chunk(physicalName(contract), chunkId)))
        .orElseThrow(
            () ->
                new NotFoundException(
                    "no chunk '" + chunkId + "' in index '" + index + "' (" + b.id() + ")"));
  }

  // the one place where backend exceptions are logged and told where they happened
  private <T> T onBackend(Backend backend, EmbeddingContract contract, Supplier<T> call) {
    try {
      return call.get();
    } catch (StorageException e) {
      switch (e) {
        // nothing failed: the index is empty there, or the search is one the backend cannot do
        case NoSuchIndexException missing -> {}
        case UnsupportedSearchException unsupported -> {}
        case ContractMismatchException mismatch ->
            LOG.warn("contract mismatch on {}: {}", backend.id(), e.getMessage());
        case StorageUnavailableException unavailable ->
            LOG.warn("{} unavailable: {}", backend.id(), e.getMessage());
        default -> LOG.warn("{} failed: {}", backend.id(), e.getMessage(), e);
      }
      throw new BackendException(backend, contract.getIndex(), contract.getVersion(), e);
    }
  }

  /**
   * How a backend is doing: {@code ok} (it answered for the default index), {@code empty} (it
   * answered, but the default index does not exist yet) or {@code unavailable}.
   */
  public String probe(Backend backend) {
    try {
      EmbeddingContract contract = catalog.liveContract(QueryRequest.DEFAULT_INDEX);
      retrievers.get(backend).chunk(physicalName(contract), PROBE_CHUNK); // a lookup by key
      return "ok";
    } catch (NoSuchIndexException | NotFoundException e) {
      return "empty";
    } catch (RuntimeException e) {
      return "unavailable";
    }
  }

  Map<Backend, Retriever> retrievers() {
    return retrievers;
  }

  private static String physicalName(EmbeddingContract c) {
    return ContractRegistry.physicalName(c.getIndex(), c.getVersion());
  }
}
