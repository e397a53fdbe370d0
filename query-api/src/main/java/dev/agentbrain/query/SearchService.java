package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.registry.RegistryException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.StorageUnavailableException;
import dev.agentbrain.storage.VectorQuery;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Answers searches: resolves the index's live version, embeds the query, asks the backend. */
final class SearchService {

  static final int DEFAULT_TOP_K = 5;
  static final int MAX_TOP_K = 100;
  static final int MAX_QUERY_CHARS = 8000;
  static final String DEFAULT_INDEX = "docs";
  static final List<String> MODES = List.of("vector", "bm25", "hybrid", "rrf");

  private final ContractRegistry registry;
  private final LiveContracts contracts;
  private final Map<Backend, Retriever> retrievers;
  private final Backend primary;
  private final QueryEmbedder embedder;

  SearchService(
      ContractRegistry registry,
      LiveContracts contracts,
      Map<Backend, Retriever> retrievers,
      Backend primary,
      QueryEmbedder embedder) {
    this.registry = registry;
    this.contracts = contracts;
    this.retrievers = new EnumMap<>(retrievers);
    this.primary = primary;
    this.embedder = embedder;
  }

  Backend primary() {
    return primary;
  }

  QueryResponse search(QueryRequest request) {
    long started = System.nanoTime();
    String text = request.query() == null ? "" : request.query().strip();
    if (text.isEmpty()) {
      throw ApiException.badRequest("query must not be empty");
    }
    if (text.length() > MAX_QUERY_CHARS) {
      throw ApiException.badRequest("query is longer than " + MAX_QUERY_CHARS + " characters");
    }
    int topK = request.topK() == null ? DEFAULT_TOP_K : request.topK();
    if (topK < 1 || topK > MAX_TOP_K) {
      throw ApiException.badRequest("top_k must be between 1 and " + MAX_TOP_K);
    }
    double threshold = request.similarityThreshold() == null ? 0.0 : request.similarityThreshold();
    if (threshold < 0 || threshold > 1) {
      throw ApiException.badRequest("similarity_threshold must be between 0 and 1");
    }
    String mode = request.mode() == null ? "vector" : request.mode().toLowerCase(Locale.ROOT);
    if (!MODES.contains(mode)) {
      throw ApiException.badRequest("mode must be one of " + MODES + ", not '" + mode + "'");
    }
    double alpha = request.alpha() == null ? 0.5 : request.alpha();
    if (alpha < 0 || alpha > 1) {
      throw ApiException.badRequest("alpha must be between 0 and 1");
    }
    int rrfK = request.rrfK() == null ? 60 : request.rrfK();
    double vectorWeight = request.vectorWeight() == null ? 1 : request.vectorWeight();
    double bm25Weight = request.bm25Weight() == null ? 1 : request.bm25Weight();
    if (rrfK < 1 || rrfK > 1000 || vectorWeight < 0 || bm25Weight < 0) {
      throw ApiException.badRequest("rrf_k must be 1..1000 and the weights must not be negative");
    }
    Backend backend = backend(request.backend());
    EmbeddingContract contract =
        liveContract(request.index() == null ? DEFAULT_INDEX : request.index());
    String physical = ContractRegistry.physicalName(contract.getIndex(), contract.getVersion());
    Retriever retriever = retrievers.get(backend);
    // fused modes rank a deeper candidate list from each retriever than they return
    int depth =
        mode.equals("vector") || mode.equals("bm25") ? topK : Math.min(200, Math.max(50, 4 * topK));
    List<Fusion.Fused> fused;
    try {
      List<SearchHit> vector =
          mode.equals("bm25")
              ? List.of()
              : retriever.vectorSearch(
                  physical, new VectorQuery(embedder.embed(contract, text), depth, 0, Filter.ALL));
      List<SearchHit> keyword =
          mode.equals("vector")
              ? List.of()
              : retriever.keywordSearch(physical, new KeywordQuery(text, depth, Filter.ALL));
      fused =
          switch (mode) {
            case "vector" -> Fusion.weighted(vector, keyword, 1, topK);
            case "bm25" -> Fusion.weighted(vector, keyword, 0, topK);
            case "hybrid" -> Fusion.weighted(vector, keyword, alpha, topK);
            default -> Fusion.reciprocalRank(vector, keyword, rrfK, vectorWeight, bm25Weight, topK);
          };
    } catch (StorageUnavailableException e) {
      throw ApiException.unavailable(
          backend.id() + " is not reachable right now — try again shortly, or check `make status`");
    }
    List<QueryResult> results =
        fused.stream()
            .filter(f -> Similarity.passes(f.score(), threshold))
            .map(
                f ->
                    new QueryResult(
                        f.chunk().text(),
                        f.chunk().source(),
                        f.score(),
                        f.vectorScore(),
                        f.bm25Score(),
                        f.chunk().chunkId(),
                        f.chunk().sourceType(),
                        f.chunk().language(),
                        f.chunk().metadata()))
            .toList();
    double millis = (System.nanoTime() - started) / 1e6;
    return new QueryResponse(
        results, millis, results.size(), backend.id(), mode, contract.getVersion());
  }

  EmbeddingContract liveContract(String index) {
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
      throw ApiException.unavailable(
          "the schema registry is not reachable — try again shortly, or check `make status`");
    }
  }

  private Backend backend(String requested) {
    if (requested == null || requested.isBlank()) {
      return primary;
    }
    for (Backend b : retrievers.keySet()) {
      if (b.id().equalsIgnoreCase(requested.strip())) {
        return b;
      }
    }
    throw ApiException.badRequest(
        "backend must be one of " + retrievers.keySet().stream().map(Backend::id).toList());
  }

  /**
   * How a backend is doing: {@code ok} (it answered for the default index), {@code empty} (it
   * answered, but the default index does not exist yet) or {@code unavailable}.
   */
  String probe(Backend backend) {
    try {
      EmbeddingContract contract = liveContract(DEFAULT_INDEX);
      retrievers
          .get(backend)
          .count(
              ContractRegistry.physicalName(contract.getIndex(), contract.getVersion()),
              Filter.ALL);
      return "ok";
    } catch (NoSuchIndexException e) {
      return "empty";
    } catch (ApiException e) {
      return e.status() == 404 ? "empty" : "unavailable";
    } catch (RuntimeException e) {
      return "unavailable";
    }
  }

  /** Every index with its live contract and how many chunks each backend holds for it. */
  List<IndexInfo> indexes() {
    try {
      return registry.indexes().stream()
          .map(index -> contracts.of(index).map(this::describe))
          .flatMap(java.util.Optional::stream)
          .toList();
    } catch (RegistryException e) {
      throw ApiException.unavailable(
          "the schema registry is not reachable — try again shortly, or check `make status`");
    }
  }

  private IndexInfo describe(EmbeddingContract c) {
    Map<String, Long> counts = new java.util.LinkedHashMap<>();
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
        counts);
  }

  Map<Backend, Retriever> retrievers() {
    return retrievers;
  }
}
