package dev.agentbrain.query.eval;

import dev.agentbrain.config.Settings;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.query.Fusion;
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
import dev.agentbrain.storage.chroma.ChromaKeywordWriter;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.storage.reconciliation.IndexSide;
import dev.agentbrain.storage.reconciliation.Reconciliation;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import dev.agentbrain.storage.reconciliation.Settling;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code make eval}: measures retrieval quality on a BEIR data set (SciFact by default) the way the
 * published baselines do, on PostgreSQL, on Chroma (with its Lucene keyword index) or on both:
 * loads the corpus into a scratch index of each backend (passages embedded once and cached under
 * {@code $AGENT_BRAIN_HOME/eval}), runs every judged query of the test split in each mode (bm25,
 * vector, hybrid, rrf) and prints nDCG@10 and recall@100. With {@code --tune true} (the default) it
 * first picks hybrid's alpha and rrf's k on the train split, per backend, and prints them; with
 * both backends it also prints how far their vector top-10 lists overlap.
 *
 * <p>Options: {@code --data DIR} (default {@code ../shared/data/scifact}), {@code --backend
 * postgres|chroma|both} (default both), {@code --tune true|false}, {@code --alpha X --rrf-k N}
 * (used when not tuning; default 0.5 and 60), {@code --model NAME} (default the project's default
 * model), {@code --k1 X --b Y} (BM25 parameters, default {@link Bm25#STANDARD}).
 */
public final class RetrievalEvaluation {

  private static final int WRITE_BATCH = 500;
  private static final int TOP_K = 100;
  private static final double[] ALPHAS = {
    0.0, 0.1, 0.2, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.8, 0.9, 1.0
  };
  private static final int[] RRF_KS = {1, 5, 10, 20, 30, 40, 60, 80, 100, 150};

  private RetrievalEvaluation() {}

  /** A backend under evaluation: what writes to it, what searches it, and what to close. */
  private record Backend(
      String name, ChunkWriter writer, Retriever retriever, ChunkScan scan, AutoCloseable owner) {}

  /** The two rankings of one query, and how long each search took. */
  private record Rankings(
      List<SearchHit> vector, List<SearchHit> keyword, long vectorNanos, long keywordNanos) {}

  /** Fusion settings. */
  private record Tuning(double alpha, int rrfK) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    Path data = Path.of(options.getOrDefault("data", "../shared/data/scifact"));
    String modelName = options.getOrDefault("model", EmbeddingModels.DEFAULT_MODEL);
    String backendOption = options.getOrDefault("backend", "both");
    boolean tune = Boolean.parseBoolean(options.getOrDefault("tune", "true"));
    Tuning fixed =
        new Tuning(
            Double.parseDouble(options.getOrDefault("alpha", "0.5")),
            Integer.parseInt(options.getOrDefault("rrf-k", "60")));
    Bm25 bm25 =
        new Bm25(
            Double.parseDouble(options.getOrDefault("k1", Double.toString(Bm25.STANDARD.k1()))),
            Double.parseDouble(options.getOrDefault("b", Double.toString(Bm25.STANDARD.b()))));
    Settings settings = Settings.fromEnvironment();

    BeirDataset test = BeirDataset.read(data, "test");
    BeirDataset train = tune ? BeirDataset.read(data, "train") : null;
    String name = data.toAbsolutePath().normalize().getFileName().toString();
    System.out.printf(
        "%s: %d documents, %d test queries%s with judgments; BM25 k1 %.2f b %.2f%n",
        name,
        test.documents().size(),
        test.queries().size(),
        tune ? ", %d train queries".formatted(train.queries().size()) : "",
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
                    settings.get(Settings.CHROMA_URL), settings.get(Settings.EF_SEARCH)),
                keywords);
        backends.add(
            new Backend(
                "Chroma",
                new ChromaKeywordWriter(store, keywords),
                store,
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
      List<String> texts = test.documents().stream().map(d -> fitted(model, d.text())).toList();
      Path cache =
          Path.of(settings.get(Settings.HOME), "eval", name + "-" + slug(modelName) + ".vectors");
      List<float[]> vectors = CorpusVectors.of(texts, model, cache);
      IndexSpec spec =
          new IndexSpec(
              "eval_" + slug(name) + "_" + slug(modelName),
              model.info().dimensions(),
              modelName,
              "english");
      Map<String, float[]> queryVectors = new HashMap<>();
      Function<String, float[]> embed =
          text -> queryVectors.computeIfAbsent(text, model::embedQuery);
      Map<String, Map<String, Rankings>> testRankings = new LinkedHashMap<>();
      List<String> report = new ArrayList<>();
      for (Backend backend : backends) {
        load(backend, spec, test, texts, vectors);
        Tuning tuning = fixed;
        if (tune) {
          tuning = tune(backend, spec, train, embed);
        }
        Map<String, Rankings> rankings = rankings(backend, spec, test, embed);
        testRankings.put(backend.name(), rankings);
        report.addAll(report(backend.name(), test, rankings, tuning));
      }
      System.out.printf(
          "%n%s test split (%d queries)%n%-10s %-8s %8s %11s %10s%n",
          name, test.queries().size(), "backend", "mode", "nDCG@10", "recall@100", "ms/query");
      report.forEach(System.out::println);
      if (testRankings.size() == 2) {
        List<Map<String, Rankings>> pair = new ArrayList<>(testRankings.values());
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

  /** Picks hybrid's alpha and rrf's k with the best mean nDCG@10 on the train split. */
  private static Tuning tune(
      Backend backend, IndexSpec spec, BeirDataset train, Function<String, float[]> embed) {
    Map<String, Rankings> rankings = rankings(backend, spec, train, embed);
    double bestAlpha = 0;
    double bestAlphaScore = -1;
    for (double alpha : ALPHAS) {
      double score =
          meanNdcg(
              train, rankings, r -> hits(Fusion.weighted(r.vector(), r.keyword(), alpha, TOP_K)));
      if (score > bestAlphaScore) {
        bestAlphaScore = score;
        bestAlpha = alpha;
      }
    }
    int bestK = 0;
    double bestKScore = -1;
    for (int k : RRF_KS) {
      double score =
          meanNdcg(
              train,
              rankings,
              r -> hits(Fusion.reciprocalRank(r.vector(), r.keyword(), k, 1, 1, TOP_K)));
      if (score > bestKScore) {
        bestKScore = score;
        bestK = k;
      }
    }
    System.out.printf(
        "%s, tuned on %d train queries: hybrid alpha %.2f (train nDCG@10 %.4f), rrf k %d (train nDCG@10 %.4f); bm25 %.4f, vector %.4f%n",
        backend.name(),
        train.queries().size(),
        bestAlpha,
        bestAlphaScore,
        bestK,
        bestKScore,
        meanNdcg(train, rankings, Rankings::keyword),
        meanNdcg(train, rankings, Rankings::vector));
    return new Tuning(bestAlpha, bestK);
  }

  /** Both rankings of every judged query of the split, timed. */
  private static Map<String, Rankings> rankings(
      Backend backend, IndexSpec spec, BeirDataset split, Function<String, float[]> embed) {
    Map<String, Rankings> rankings = new LinkedHashMap<>();
    for (Map.Entry<String, String> query : split.queries().entrySet()) {
      float[] vector = embed.apply(query.getValue());
      long started = System.nanoTime();
      List<SearchHit> byVector =
          backend
              .retriever()
              .vectorSearch(spec.physicalName(), new VectorQuery(vector, TOP_K, 0.0, Filter.ALL));
      long vectorNanos = System.nanoTime() - started;
      started = System.nanoTime();
      List<SearchHit> byKeyword =
          backend
              .retriever()
              .keywordSearch(
                  spec.physicalName(), new KeywordQuery(query.getValue(), TOP_K, Filter.ALL));
      long keywordNanos = System.nanoTime() - started;
      rankings.put(query.getKey(), new Rankings(byVector, byKeyword, vectorNanos, keywordNanos));
    }
    return rankings;
  }

  private static List<String> report(
      String backend, BeirDataset test, Map<String, Rankings> rankings, Tuning tuning) {
    int count = rankings.size();
    double vectorMs =
        rankings.values().stream().mapToLong(Rankings::vectorNanos).sum() / 1e6 / count;
    double keywordMs =
        rankings.values().stream().mapToLong(Rankings::keywordNanos).sum() / 1e6 / count;
    List<String> lines = new ArrayList<>();
    lines.add(line(backend, "bm25", test, rankings, Rankings::keyword, keywordMs));
    lines.add(line(backend, "vector", test, rankings, Rankings::vector, vectorMs));
    lines.add(
        line(
                backend,
                "hybrid",
                test,
                rankings,
                r -> hits(Fusion.weighted(r.vector(), r.keyword(), tuning.alpha(), TOP_K)),
                vectorMs + keywordMs)
            + "  alpha %.2f".formatted(tuning.alpha()));
    lines.add(
        line(
                backend,
                "rrf",
                test,
                rankings,
                r ->
                    hits(
                        Fusion.reciprocalRank(r.vector(), r.keyword(), tuning.rrfK(), 1, 1, TOP_K)),
                vectorMs + keywordMs)
            + "  k %d".formatted(tuning.rrfK()));
    return lines;
  }

  private static String line(
      String backend,
      String mode,
      BeirDataset split,
      Map<String, Rankings> rankings,
      Function<Rankings, List<SearchHit>> ranking,
      double msPerQuery) {
    double recall = 0;
    for (Map.Entry<String, Rankings> query : rankings.entrySet()) {
      recall +=
          RankingMetrics.recall(
              ids(ranking.apply(query.getValue())), split.judgments().get(query.getKey()), TOP_K);
    }
    return "%-10s %-8s %8.4f %11.4f %10.1f"
        .formatted(
            backend,
            mode,
            meanNdcg(split, rankings, ranking),
            recall / rankings.size(),
            msPerQuery);
  }

  private static double meanNdcg(
      BeirDataset split,
      Map<String, Rankings> rankings,
      Function<Rankings, List<SearchHit>> ranking) {
    double ndcg = 0;
    for (Map.Entry<String, Rankings> query : rankings.entrySet()) {
      ndcg +=
          RankingMetrics.ndcg(
              ids(ranking.apply(query.getValue())), split.judgments().get(query.getKey()), 10);
    }
    return ndcg / rankings.size();
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
    return new Ranking(ids(top), top.stream().map(SearchHit::score).toList(), 0);
  }

  /** Fused hits as search hits with the fused score, for the metrics. */
  private static List<SearchHit> hits(List<Fusion.Fused> fused) {
    return fused.stream().map(f -> new SearchHit(f.chunk(), f.score())).toList();
  }

  private static List<String> ids(List<SearchHit> hits) {
    return hits.stream().map(hit -> hit.chunk().chunkId()).toList();
  }

  /** Writes the corpus into a fresh index, one document per chunk, and reports the write rate. */
  private static void load(
      Backend backend,
      IndexSpec spec,
      BeirDataset dataset,
      List<String> texts,
      List<float[]> vectors) {
    backend.writer().dropIndex(spec.physicalName());
    backend.writer().ensureIndex(spec);
    long started = System.nanoTime();
    List<ChunkWrite> batch = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String id = dataset.documents().get(i).id();
      batch.add(
          new ChunkWrite.Upsert(
              new ChunkRecord(
                  id, id, 1, 0, texts.get(i), id, "doc", "en", "", "", Map.of(), vectors.get(i))));
      if (batch.size() == WRITE_BATCH || i == texts.size() - 1) {
        backend.writer().write(spec.physicalName(), batch);
        batch.clear();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "wrote %d chunks to %s index %s in %.1f s (%.0f chunks/s, batches of %d)%n",
        texts.size(),
        backend.name(),
        spec.physicalName(),
        seconds,
        texts.size() / seconds,
        WRITE_BATCH);
  }

  /** The longest prefix of whole words that fits the model's token limit. */
  private static String fitted(EmbeddingModel model, String text) {
    int limit = model.info().maxTokens();
    if (model.countTokens(text) <= limit) {
      return text;
    }
    String[] words = text.split("\\s+");
    int low = 1;
    int high = words.length - 1;
    while (low < high) {
      int middle = (low + high + 1) / 2;
      if (model.countTokens(String.join(" ", List.of(words).subList(0, middle))) <= limit) {
        low = middle;
      } else {
        high = middle - 1;
      }
    }
    return String.join(" ", List.of(words).subList(0, low));
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
                + " [--tune true|false] [--alpha X] [--rrf-k N] [--model NAME] [--k1 X] [--b Y]");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
