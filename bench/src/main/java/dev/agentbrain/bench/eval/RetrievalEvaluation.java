package dev.agentbrain.bench.eval;

import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.config.Settings;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.query.Fusion;
import dev.agentbrain.query.ScoreNormalisation;
import dev.agentbrain.query.SearchMode;
import dev.agentbrain.query.shadow.RankAgreement;
import dev.agentbrain.query.shadow.Ranking;
import dev.agentbrain.query.shadow.ShadowWindow;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.chroma.ChromaConfig;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.keyword.KeywordBackedRetriever;
import dev.agentbrain.storage.keyword.KeywordBackedWriter;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.storage.reconciliation.IndexSide;
import dev.agentbrain.storage.reconciliation.Reconciliation;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import dev.agentbrain.storage.reconciliation.Settling;
import dev.agentbrain.testing.BeirDataset;
import dev.agentbrain.testing.RankingMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code make eval}: measures retrieval quality on a BEIR data set (SciFact by default) the way the
 * published baselines do, on PostgreSQL, on Chroma (with its Lucene keyword index) or on both, and
 * chooses the API's fusion defaults. Measures what a user gets: each document published as a
 * Markdown file (title as heading) is cut by the indexer's chunker into the chunks a new index of
 * the model gets ({@link ChunkedCorpus}), written to a scratch index of each backend (chunks and
 * queries embedded once and cached under {@code $AGENT_BRAIN_HOME/eval}); every judged query of the
 * train and test splits is ranked by both retrievers as deep as the API asks them for a {@code
 * top_k} 100 search ({@link Fusion#candidates}) and fused with the API's own {@link Fusion#fuse}.
 * The documents of those 100 chunks, each at the rank of its best chunk, give nDCG@10 and recall.
 *
 * <p>On the train split it tries every hybrid normalisation and alpha and every rrf k and vector
 * weight ({@link FusionGrid}) and picks the best on the mean over the backends; then it reports
 * bm25, vector, and hybrid and rrf with the old defaults, the API's current defaults and the
 * train's pick, on train and test, on every backend, and writes them as JSON, a Markdown table and
 * plots to {@code --out} (default {@code docs/benchmarks}). With both backends it also prints how
 * far their top-10 lists agree and reconciles the two indexes.
 *
 * <p>Options: {@code --data DIR} (default {@code shared/data/scifact} in the nearest directory
 * above that holds it, see {@link BeirDataset#locate}), {@code --backend postgres|chroma|both}
 * (default both), {@code --model NAME} (default the project's default model), {@code --k1 X --b Y}
 * (BM25 parameters, default {@link Bm25#STANDARD}), {@code --chunk-tokens N} (chunks of at most N
 * tokens overlapping by an eighth, default the model's {@link ChunkingSettings#forModelLimit}),
 * {@code --out DIR}.
 */
public final class RetrievalEvaluation {

  private static final int WRITE_BATCH = 500;

  /** The deepest request the evaluation measures: recall@100 of a top_k 100 search. */
  private static final int TOP_K = 100;

  /** nDCG is measured on the first 10 results of a top_k 10 search. */
  private static final int NDCG_AT = 10;

  /** The API's defaults before {@code make eval} chose them, kept to show what they cost. */
  static final SearchMode.Hybrid OLD_HYBRID = new SearchMode.Hybrid(0.5);

  static final SearchMode.Rrf OLD_RRF = new SearchMode.Rrf(60, 1, 1);

  /** The hybrid default before the query instruction was chosen per mode: the query instructed. */
  static final SearchMode.Hybrid INSTRUCTED_HYBRID =
      new SearchMode.Hybrid(0.95, ScoreNormalisation.L2, true);

  private RetrievalEvaluation() {}

  /** A backend under evaluation: what writes to it, what searches it, and what to close. */
  private record Backend(
      String name, ChunkWriter writer, Retriever retriever, ChunkScan scan, AutoCloseable owner) {}

  /**
   * The rankings of one query, and how long each search took: by vector with the query embedded
   * with the model's query instruction and without it ({@link SearchMode#instructedQuery}), and by
   * keyword.
   */
  record Rankings(
      List<SearchHit> vector,
      List<SearchHit> uninstructedVector,
      List<SearchHit> keyword,
      long vectorNanos,
      long keywordNanos) {

    /** The vector ranking a mode fuses. */
    List<SearchHit> vector(SearchMode mode) {
      return mode.instructedQuery() ? vector : uninstructedVector;
    }
  }

  /** A query's vectors: with the model's query instruction, and embedded as a passage. */
  record QueryVectors(float[] instructed, float[] uninstructed) {}

  /** The role of the rows measured without chunk context ({@link ChunkedCorpus#texts}). */
  private static final String NO_CHUNK_CONTEXT = "no chunk context";

  /** Every backend's rankings of one split's queries. */
  private record SplitRankings(
      String split, BeirDataset data, Map<String, Map<String, Rankings>> byBackend) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    System.setProperty("java.awt.headless", "true"); // the plots need no display
    Path data =
        options.containsKey("data") ? Path.of(options.get("data")) : BeirDataset.locate("scifact");
    String modelName = options.getOrDefault("model", EmbeddingModels.DEFAULT_MODEL);
    String backendOption = options.getOrDefault("backend", "both");
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks"));
    Bm25 bm25 =
        new Bm25(
            Double.parseDouble(options.getOrDefault("k1", Double.toString(Bm25.STANDARD.k1()))),
            Double.parseDouble(options.getOrDefault("b", Double.toString(Bm25.STANDARD.b()))));
    Settings settings = Settings.fromEnvironment();
    String loadBefore = BenchmarkRun.loadAverage();

    BeirDataset test = BeirDataset.read(data, "test");
    BeirDataset train = BeirDataset.read(data, "train");
    String name = data.toAbsolutePath().normalize().getFileName().toString();
    System.out.printf(
        "%s: %d documents, %d test and %d train queries with judgments; BM25 k1 %.2f b %.2f%n",
        name,
        test.documents().size(),
        test.queries().size(),
        train.queries().size(),
        bm25.k1(),
        bm25.b());
    Path keywordRoot = Files.createTempDirectory("agent-brain-eval-keyword");
    List<Backend> backends = new ArrayList<>();
    try (EmbeddingModel model =
        EmbeddingModels.create(modelName, Runtime.getRuntime().availableProcessors())) {
      if (backendOption.equals("postgres") || backendOption.equals("both")) {
        PostgresStore store =
            new PostgresStore(
                new PostgresConfig(
                    settings.get(Settings.PG_URL),
                    settings.get(Settings.PG_USER),
                    settings.get(Settings.PG_PASSWORD),
                    PostgresConfig.DEFAULT_MAX_POOL_SIZE,
                    PostgresConfig.DEFAULT_CONNECTION_TIMEOUT,
                    settings.get(Settings.EF_SEARCH)),
                bm25);
        backends.add(new Backend("PostgreSQL", store, store, store, store));
      }
      if (backendOption.equals("chroma") || backendOption.equals("both")) {
        KeywordIndexes keywords = new KeywordIndexes(keywordRoot, bm25);
        ChromaStore store =
            new ChromaStore(
                ChromaConfig.of(
                    settings.get(Settings.CHROMA_URL), settings.get(Settings.EF_SEARCH)));
        backends.add(
            new Backend(
                "Chroma",
                new KeywordBackedWriter(store, keywords),
                new KeywordBackedRetriever(store, store::spec, keywords),
                store,
                () -> {
                  try (keywords) {
                    store.close();
                  }
                }));
      }
      if (backends.isEmpty()) {
        throw new IllegalArgumentException("--backend must be postgres, chroma or both");
      }
      ChunkingSettings modelDefault = ChunkingSettings.forModelLimit(model.info().maxTokens());
      ChunkingSettings chunking =
          options.containsKey("chunk-tokens")
              ? ChunkingSettings.ofSize(Integer.parseInt(options.get("chunk-tokens")))
              : modelDefault;
      ChunkedCorpus corpus = ChunkedCorpus.of(test, model, chunking);
      System.out.printf(
          "%d documents cut into %d chunks of at most %d tokens (overlap %d) by the indexer's"
              + " chunker%n",
          test.documents().size(),
          corpus.chunks().size(),
          chunking.maxTokens(),
          chunking.overlapTokens());
      // another chunk size keeps vector files of its own beside the default's
      String cached =
          name
              + "-"
              + slug(modelName)
              + (chunking.equals(modelDefault) ? "" : "-chunks" + chunking.maxTokens());
      Path cache = Path.of(settings.get(Settings.HOME), "eval", cached + ".vectors");
      List<float[]> plainVectors = CorpusVectors.of(corpus.texts(), model, cache);
      // chunk context (issue 18), as new indexes embed: a chunk that does not begin its document
      // embedded with its heading path in front; stored and keyword-searched as it is
      Map<String, float[]> known = new HashMap<>();
      for (int i = 0; i < plainVectors.size(); i++) {
        known.putIfAbsent(corpus.texts().get(i), plainVectors.get(i));
      }
      List<float[]> vectors =
          CorpusVectors.of(
              corpus.contextTexts(),
              model,
              cache.resolveSibling(cached + "-context.vectors"),
              known);
      IndexSpec spec =
          new IndexSpec(
              "eval_" + slug(name) + "_" + slug(modelName),
              model.info().dimensions(),
              modelName,
              "english");
      List<String> queryTexts = new ArrayList<>(new LinkedHashSet<>(train.queries().values()));
      queryTexts.addAll(test.queries().values());
      List<float[]> embeddedQueries =
          CorpusVectors.queries(
              queryTexts,
              model,
              cache.resolveSibling(name + "-" + slug(modelName) + "-queries.vectors"));
      // the same queries embedded as passages, without the instruction (hybrid's default)
      List<float[]> uninstructedQueries =
          CorpusVectors.of(
              queryTexts,
              model,
              cache.resolveSibling(name + "-" + slug(modelName) + "-queries-uninstructed.vectors"));
      Map<String, QueryVectors> queryVectors = new HashMap<>();
      for (int i = 0; i < queryTexts.size(); i++) {
        queryVectors.putIfAbsent(
            queryTexts.get(i),
            new QueryVectors(embeddedQueries.get(i), uninstructedQueries.get(i)));
      }
      Function<String, QueryVectors> embed = queryVectors::get;
      SplitRankings trainRankings = new SplitRankings("train", train, new LinkedHashMap<>());
      SplitRankings testRankings = new SplitRankings("test", test, new LinkedHashMap<>());
      for (Backend backend : backends) {
        load(backend, spec, corpus, vectors);
        trainRankings.byBackend().put(backend.name(), rankings(backend, spec, train, embed));
        testRankings.byBackend().put(backend.name(), rankings(backend, spec, test, embed));
      }

      // the same chunks embedded alone, as indexes made before chunk context were
      IndexSpec plainSpec =
          new IndexSpec(
              spec.physicalName() + "_plain",
              spec.dimensions(),
              spec.model(),
              spec.textSearchLanguage());
      SplitRankings trainPlain = new SplitRankings("train", train, new LinkedHashMap<>());
      SplitRankings testPlain = new SplitRankings("test", test, new LinkedHashMap<>());
      for (Backend backend : backends) {
        load(backend, plainSpec, corpus, plainVectors);
        trainPlain.byBackend().put(backend.name(), rankings(backend, plainSpec, train, embed));
        testPlain.byBackend().put(backend.name(), rankings(backend, plainSpec, test, embed));
        backend.writer().dropIndex(plainSpec.physicalName());
      }

      FusionGrid.Hybrid tunedHybrid =
          FusionGrid.best(FusionGrid.hybrids(), h -> meanOverBackends(trainRankings, h));
      SearchMode.Rrf tunedRrf =
          FusionGrid.best(
              FusionGrid.rrfs(),
              mode -> meanOverBackends(trainRankings, mode, Fusion.MIN_FUSION_DEPTH));
      List<EvaluationReport.Normalisation> normalisations = new ArrayList<>();
      for (ScoreNormalisation normalisation : ScoreNormalisation.values()) {
        FusionGrid.Hybrid best =
            FusionGrid.best(
                FusionGrid.hybrids(normalisation), h -> meanOverBackends(trainRankings, h));
        normalisations.add(
            new EvaluationReport.Normalisation(
                normalisation,
                best.mode().alpha(),
                best.depth(),
                best.mode().instructedQuery(),
                meanOverBackends(trainRankings, best),
                meanOverBackends(testRankings, best),
                FusionGrid.hybrids(normalisation).stream()
                    .filter(
                        h ->
                            h.depth() == best.depth()
                                && h.mode().instructedQuery() == best.mode().instructedQuery())
                    .map(h -> meanOverBackends(trainRankings, h))
                    .toList()));
      }
      List<EvaluationReport.Depth> depths = new ArrayList<>();
      for (int depth : FusionGrid.DEPTHS) {
        FusionGrid.Hybrid best =
            FusionGrid.best(
                FusionGrid.hybrids(tunedHybrid.mode().normalisation()).stream()
                    .filter(
                        h ->
                            h.depth() == depth
                                && h.mode().instructedQuery()
                                    == tunedHybrid.mode().instructedQuery())
                    .toList(),
                h -> meanOverBackends(trainRankings, h));
        depths.add(
            new EvaluationReport.Depth(
                depth,
                best.mode().alpha(),
                meanOverBackends(trainRankings, best),
                meanOverBackends(testRankings, best)));
      }
      SearchMode.Hybrid defaultHybrid = SearchMode.Hybrid.DEFAULT;
      SearchMode.Rrf defaultRrf = SearchMode.Rrf.DEFAULT;
      List<EvaluationReport.Setting> compared = new ArrayList<>();
      compared.add(new EvaluationReport.Setting("-", new SearchMode.Bm25()));
      compared.add(new EvaluationReport.Setting("-", new SearchMode.Vector()));
      compared.add(new EvaluationReport.Setting("old default", OLD_HYBRID));
      compared.add(new EvaluationReport.Setting("API default", defaultHybrid));
      compared.add(new EvaluationReport.Setting("previous default", INSTRUCTED_HYBRID));
      if (!tunedHybrid.equals(new FusionGrid.Hybrid(defaultHybrid, Fusion.MIN_FUSION_DEPTH))) {
        compared.add(
            new EvaluationReport.Setting("train's pick", tunedHybrid.mode(), tunedHybrid.depth()));
      }
      compared.add(new EvaluationReport.Setting("old default", OLD_RRF));
      compared.add(new EvaluationReport.Setting("API default", defaultRrf));
      if (!tunedRrf.equals(defaultRrf)) {
        compared.add(new EvaluationReport.Setting("train's pick", tunedRrf));
      }
      List<EvaluationReport.Row> rows = new ArrayList<>();
      rows.addAll(rows(trainRankings, compared));
      rows.addAll(rows(testRankings, compared));
      List<EvaluationReport.Setting> withoutContext =
          List.of(
              new EvaluationReport.Setting(NO_CHUNK_CONTEXT, new SearchMode.Vector()),
              new EvaluationReport.Setting(NO_CHUNK_CONTEXT, defaultHybrid),
              new EvaluationReport.Setting(NO_CHUNK_CONTEXT, defaultRrf));
      rows.addAll(rows(trainPlain, withoutContext));
      rows.addAll(rows(testPlain, withoutContext));
      List<KeywordExactness.Result> exactness = new ArrayList<>();
      for (Backend backend : backends) {
        exactness.add(
            KeywordExactness.measure(
                backend.name(), backend.retriever(), spec.physicalName(), test));
      }
      EvaluationReport report =
          new EvaluationReport(
              name,
              modelName,
              bm25,
              chunking,
              train.queries().size(),
              test.queries().size(),
              normalisations,
              depths,
              rows,
              exactness,
              loadBefore,
              BenchmarkRun.loadAverage(),
              Runtime.getRuntime().availableProcessors());
      report.print(System.out);
      report.write(out);

      if (testRankings.byBackend().size() == 2) {
        List<Map<String, Rankings>> pair = new ArrayList<>(testRankings.byBackend().values());
        System.out.printf(
            "%nagreement of the top 10, PostgreSQL/Chroma, %d test queries, as shadow mode measures"
                + " it:%n%-8s %-22s %s%n",
            test.queries().size(), "mode", "overlap mean/med/p10", "RBO (p 0.9) mean/med/p10");
        agreement("vector", pair.get(0), pair.get(1), Rankings::vector, 10);
        agreement("bm25", pair.get(0), pair.get(1), Rankings::keyword, 10);
        reconcile(backends.get(0), backends.get(1), spec.physicalName());
      }
    } finally {
      for (Backend backend : backends) {
        backend.writer().dropIndex("eval_" + slug(name) + "_" + slug(modelName));
        backend.owner().close();
      }
      deleteTree(keywordRoot);
    }
  }

  /** Compares what the two backends store, as `agent-brain shadow reconcile` does, and times it. */
  private static void reconcile(Backend left, Backend right, String index)
      throws InterruptedException {
    ReconciliationResult result =
        new Reconciliation(
                IndexSide.of(left.name(), left.scan(), index),
                IndexSide.of(right.name(), right.scan(), index),
                Reconciliation.Options.DEFAULTS)
            .run(Settling.NONE);
    System.out.printf(
        "%nreconciliation %s/%s: %d documents, %d chunks, %d differing, %.1f s%n",
        left.name(),
        right.name(),
        result.documents(),
        result.chunks(),
        result.differing(),
        result.took().toMillis() / 1000.0);
  }

  /**
   * Both rankings of every judged query of the split, as deep as the API ranks for a fused top_k
   * 100 search, timed.
   */
  private static Map<String, Rankings> rankings(
      Backend backend, IndexSpec spec, BeirDataset split, Function<String, QueryVectors> embed) {
    int depth = Fusion.candidates(OLD_HYBRID, TOP_K + 1);
    Map<String, Rankings> rankings = new LinkedHashMap<>();
    for (Map.Entry<String, String> query : split.queries().entrySet()) {
      QueryVectors vectors = embed.apply(query.getValue());
      Function<float[], List<SearchHit>> byVectorOf =
          vector ->
              backend
                  .retriever()
                  .vectorSearch(
                      spec.physicalName(), new VectorQuery(vector, depth, 0.0, Filter.ALL));
      long started = System.nanoTime();
      List<SearchHit> byVector = byVectorOf.apply(vectors.instructed());
      long vectorNanos = System.nanoTime() - started;
      List<SearchHit> byUninstructedVector = byVectorOf.apply(vectors.uninstructed());
      started = System.nanoTime();
      List<SearchHit> byKeyword =
          backend
              .retriever()
              .keywordSearch(
                  spec.physicalName(), new KeywordQuery(query.getValue(), depth, Filter.ALL));
      long keywordNanos = System.nanoTime() - started;
      rankings.put(
          query.getKey(),
          new Rankings(
              slim(byVector),
              slim(byUninstructedVector),
              slim(byKeyword),
              vectorNanos,
              keywordNanos));
    }
    return rankings;
  }

  /** The report's rows of each setting on each backend of a split. */
  private static List<EvaluationReport.Row> rows(
      SplitRankings split, List<EvaluationReport.Setting> settings) {
    List<EvaluationReport.Row> rows = new ArrayList<>();
    split
        .byBackend()
        .forEach(
            (backend, rankings) -> {
              for (EvaluationReport.Setting setting : settings) {
                rows.add(
                    new EvaluationReport.Row(
                        backend,
                        split.split(),
                        setting,
                        ndcg(setting.mode(), split.data(), rankings, TOP_K, setting.depth()),
                        ndcg(setting.mode(), split.data(), rankings, NDCG_AT, setting.depth()),
                        recall(setting.mode(), split.data(), rankings, setting.depth()),
                        msPerQuery(setting.mode(), rankings)));
              }
            });
    return rows;
  }

  /** Mean train nDCG@10 (top_k 100) of a hybrid setting over the backends. */
  private static double meanOverBackends(SplitRankings split, FusionGrid.Hybrid hybrid) {
    return meanOverBackends(split, hybrid.mode(), hybrid.depth());
  }

  /** Mean nDCG@10 (top_k 100) of a mode over the backends, at a least fusion depth. */
  private static double meanOverBackends(SplitRankings split, SearchMode mode, int depth) {
    return split.byBackend().values().stream()
        .mapToDouble(rankings -> ndcg(mode, split.data(), rankings, TOP_K, depth))
        .average()
        .orElseThrow();
  }

  /**
   * Mean nDCG@10 of the documents of a request for {@code topK} results, each document at the rank
   * of its best chunk: a fused mode ranks {@link Fusion#candidates} deep for it.
   *
   * @param depth the least fusion depth, which also gives the normalisation's statistics
   */
  static double ndcg(
      SearchMode mode, BeirDataset split, Map<String, Rankings> rankings, int topK, int depth) {
    double sum = 0;
    for (Map.Entry<String, Rankings> query : rankings.entrySet()) {
      sum +=
          RankingMetrics.ndcg(
              documents(mode, query.getValue(), topK, depth),
              split.judgments().get(query.getKey()),
              NDCG_AT);
    }
    return sum / rankings.size();
  }

  /** Mean recall over the split's queries of the documents of a top_k 100 request. */
  private static double recall(
      SearchMode mode, BeirDataset split, Map<String, Rankings> rankings, int depth) {
    double sum = 0;
    for (Map.Entry<String, Rankings> query : rankings.entrySet()) {
      sum +=
          RankingMetrics.recall(
              documents(mode, query.getValue(), TOP_K, depth),
              split.judgments().get(query.getKey()),
              TOP_K);
    }
    return sum / rankings.size();
  }

  /**
   * The documents of what the API answers to a request for {@code topK} results, best first, each
   * at the rank of its best chunk.
   */
  private static List<String> documents(SearchMode mode, Rankings r, int topK, int depth) {
    int candidates = Fusion.candidates(mode, topK + 1, depth);
    return ids(
            Fusion.fuse(
                mode, head(r.vector(mode), candidates), head(r.keyword(), candidates), topK, depth))
        .stream()
        .map(ChunkedCorpus::documentOf)
        .distinct()
        .toList();
  }

  /** Mean time of the searches a mode needs, per query. */
  private static double msPerQuery(SearchMode mode, Map<String, Rankings> rankings) {
    long nanos = 0;
    for (Rankings r : rankings.values()) {
      nanos +=
          (mode.usesVectors() ? r.vectorNanos() : 0) + (mode.usesKeywords() ? r.keywordNanos() : 0);
    }
    return nanos / 1e6 / rankings.size();
  }

  private static List<SearchHit> head(List<SearchHit> hits, int depth) {
    return hits.subList(0, Math.min(depth, hits.size()));
  }

  /**
   * Prints how far two backends' top-k lists of one retriever agree, with the measures of the
   * shadow mirror ({@link RankAgreement}): top-k overlap and rank-biased overlap.
   */
  private static void agreement(
      String mode,
      Map<String, Rankings> first,
      Map<String, Rankings> second,
      Function<Rankings, List<SearchHit>> retriever,
      int k) {
    List<Double> overlap = new ArrayList<>();
    List<Double> rbo = new ArrayList<>();
    for (Map.Entry<String, Rankings> query : first.entrySet()) {
      RankAgreement agreement =
          RankAgreement.of(
              top(retriever.apply(query.getValue()), k),
              top(retriever.apply(second.get(query.getKey())), k));
      overlap.add(agreement.overlap());
      rbo.add(agreement.rbo());
    }
    ShadowWindow.Stats o = ShadowWindow.Stats.of(overlap, 0.1);
    ShadowWindow.Stats r = ShadowWindow.Stats.of(rbo, 0.1);
    System.out.printf(
        "%-8s %.3f/%.3f/%.3f    %.3f/%.3f/%.3f%n",
        mode, o.mean(), o.median(), o.percentile(), r.mean(), r.median(), r.percentile());
  }

  private static Ranking top(List<SearchHit> hits, int k) {
    List<SearchHit> top = hits.subList(0, Math.min(k, hits.size()));
    return new Ranking(
        top.stream().map(hit -> hit.chunk().chunkId()).toList(),
        top.stream().map(SearchHit::score).toList(),
        0);
  }

  /**
   * The hits with nothing but their chunk id and score: 1,109 queries x 2 retrievers x 404 hits
   * with their texts do not fit a 2 GB heap (seen: OutOfMemoryError), and fusion needs no more.
   */
  private static List<SearchHit> slim(List<SearchHit> hits) {
    return hits.stream()
        .map(
            hit -> {
              String id = hit.chunk().chunkId();
              return new SearchHit(
                  ChunkRecord.builder()
                      .chunkId(id)
                      .documentId(id)
                      .documentVersion(1)
                      .text("")
                      .embedding(new float[0])
                      .build(),
                  hit.score());
            })
        .toList();
  }

  private static List<String> ids(List<Fusion.Fused> fused) {
    return fused.stream().map(f -> f.chunk().chunkId()).toList();
  }

  /** Writes the chunked corpus into a fresh index and reports the write rate. */
  private static void load(
      Backend backend, IndexSpec spec, ChunkedCorpus corpus, List<float[]> vectors) {
    backend.writer().dropIndex(spec.physicalName());
    backend.writer().ensureIndex(spec);
    long started = System.nanoTime();
    List<ChunkWrite> batch = new ArrayList<>();
    List<ChunkedCorpus.Piece> chunks = corpus.chunks();
    for (int i = 0; i < chunks.size(); i++) {
      ChunkedCorpus.Piece chunk = chunks.get(i);
      batch.add(
          new ChunkWrite.Upsert(
              ChunkRecord.builder()
                  .chunkId(chunk.id())
                  .documentId(chunk.documentId())
                  .documentVersion(1)
                  .position(chunk.position())
                  .text(chunk.text())
                  .source(chunk.documentId() + ".md")
                  .sourceType("doc")
                  .language("en")
                  .headingPath(chunk.headingPath())
                  .embedding(vectors.get(i))
                  .build()));
      if (batch.size() == WRITE_BATCH || i == chunks.size() - 1) {
        backend.writer().write(spec.physicalName(), batch);
        batch.clear();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "wrote %d chunks to %s index %s in %.1f s (%.0f chunks/s, batches of %d)%n",
        chunks.size(),
        backend.name(),
        spec.physicalName(),
        seconds,
        chunks.size() / seconds,
        WRITE_BATCH);
  }

  private static String slug(String text) {
    return text.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_").replaceAll("^_|_$", "");
  }

  private static void deleteTree(Path root) {
    try (var files = Files.walk(root)) {
      for (Path file : files.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "usage: RetrievalEvaluation [--data DIR] [--backend postgres|chroma|both]"
                + " [--model NAME] [--k1 X] [--b Y] [--chunk-tokens N] [--out DIR]");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
