package dev.agentbrain.query.eval;

import dev.agentbrain.config.Settings;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.query.Fusion;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code make eval}: measures retrieval quality on a BEIR data set (SciFact by default) the way the
 * published baselines do, on PostgreSQL: loads the corpus into a scratch index through {@link
 * PostgresStore} (passages embedded once and cached under {@code $AGENT_BRAIN_HOME/eval}), runs
 * every judged query of the split in each mode (bm25, vector, hybrid with alpha 0.5, rrf with k 60)
 * and prints nDCG@10 and recall@100.
 *
 * <p>Options: {@code --data DIR} (default {@code ../shared/data/scifact}), {@code --split
 * test|train} (default test; tune on train), {@code --model NAME} (default the project's default
 * model), {@code --k1 X --b Y} (BM25 parameters, default {@link Bm25#STANDARD}).
 */
public final class RetrievalEvaluation {

  private static final int WRITE_BATCH = 500;
  private static final int TOP_K = 100;

  private RetrievalEvaluation() {}

  public static void main(String[] args) {
    Map<String, String> options = options(args);
    Path data = Path.of(options.getOrDefault("data", "../shared/data/scifact"));
    String split = options.getOrDefault("split", "test");
    String modelName = options.getOrDefault("model", EmbeddingModels.DEFAULT_MODEL);
    Bm25 bm25 =
        new Bm25(
            Double.parseDouble(options.getOrDefault("k1", Double.toString(Bm25.STANDARD.k1()))),
            Double.parseDouble(options.getOrDefault("b", Double.toString(Bm25.STANDARD.b()))));
    Settings settings = Settings.fromEnvironment();

    BeirDataset dataset = BeirDataset.read(data, split);
    String name = data.toAbsolutePath().normalize().getFileName().toString();
    System.out.printf(
        "%s: %d documents, %d %s queries with judgments%n",
        name, dataset.documents().size(), dataset.queries().size(), split);
    try (EmbeddingModel model =
            EmbeddingModels.create(modelName, Runtime.getRuntime().availableProcessors());
        PostgresStore store =
            new PostgresStore(
                PostgresConfig.of(
                    settings.get(Settings.PG_URL),
                    settings.get(Settings.PG_USER),
                    settings.get(Settings.PG_PASSWORD)),
                bm25)) {
      List<String> texts = dataset.documents().stream().map(d -> fitted(model, d.text())).toList();
      Path cache =
          Path.of(settings.get(Settings.HOME), "eval", name + "-" + slug(modelName) + ".vectors");
      List<float[]> vectors = CorpusVectors.of(texts, model, cache);

      String index = "eval_" + slug(name) + "_" + slug(modelName);
      load(
          store,
          new IndexSpec(index, model.info().dimensions(), modelName, "english"),
          dataset,
          texts,
          vectors);
      try {
        System.out.printf(
            "%nPostgreSQL, %s %s, k1 %.2f b %.2f%n%-8s %8s %11s %10s%n",
            name, split, bm25.k1(), bm25.b(), "mode", "nDCG@10", "recall@100", "ms/query");
        Function<String, List<SearchHit>> keyword =
            text -> store.keywordSearch(index, new KeywordQuery(text, TOP_K, Filter.ALL));
        Function<String, List<SearchHit>> vector =
            text ->
                store.vectorSearch(
                    index, new VectorQuery(model.embedQuery(text), TOP_K, 0.0, Filter.ALL));
        report("bm25", dataset, keyword);
        report("vector", dataset, vector);
        report(
            "hybrid",
            dataset,
            text -> hits(Fusion.weighted(vector.apply(text), keyword.apply(text), 0.5, TOP_K)));
        report(
            "rrf",
            dataset,
            text ->
                hits(
                    Fusion.reciprocalRank(
                        vector.apply(text), keyword.apply(text), 60, 1, 1, TOP_K)));
      } finally {
        store.dropIndex(index);
      }
    }
  }

  /** Fused hits as search hits with the fused score, for the metrics. */
  private static List<SearchHit> hits(List<Fusion.Fused> fused) {
    return fused.stream().map(f -> new SearchHit(f.chunk(), f.score())).toList();
  }

  /** Writes the corpus into a fresh index, one document per chunk, and reports the write rate. */
  private static void load(
      PostgresStore store,
      IndexSpec spec,
      BeirDataset dataset,
      List<String> texts,
      List<float[]> vectors) {
    store.dropIndex(spec.physicalName());
    store.ensureIndex(spec);
    long started = System.nanoTime();
    List<ChunkWrite> batch = new ArrayList<>();
    for (int i = 0; i < texts.size(); i++) {
      String id = dataset.documents().get(i).id();
      batch.add(
          new ChunkWrite.Upsert(
              new ChunkRecord(
                  id, id, 1, 0, texts.get(i), id, "doc", "en", "", "", Map.of(), vectors.get(i))));
      if (batch.size() == WRITE_BATCH || i == texts.size() - 1) {
        store.write(spec.physicalName(), batch);
        batch.clear();
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    System.out.printf(
        "wrote %d chunks to PostgreSQL index %s in %.1f s (%.0f chunks/s, batches of %d)%n",
        texts.size(), spec.physicalName(), seconds, texts.size() / seconds, WRITE_BATCH);
  }

  private static void report(
      String mode, BeirDataset dataset, Function<String, List<SearchHit>> search) {
    double ndcg = 0;
    double recall = 0;
    long nanos = 0;
    for (Map.Entry<String, String> query : dataset.queries().entrySet()) {
      long started = System.nanoTime();
      List<String> ranked =
          search.apply(query.getValue()).stream().map(hit -> hit.chunk().chunkId()).toList();
      nanos += System.nanoTime() - started;
      Map<String, Integer> grades = dataset.judgments().get(query.getKey());
      ndcg += RankingMetrics.ndcg(ranked, grades, 10);
      recall += RankingMetrics.recall(ranked, grades, TOP_K);
    }
    int count = dataset.queries().size();
    System.out.printf(
        "%-8s %8.4f %11.4f %10.1f%n", mode, ndcg / count, recall / count, nanos / 1e6 / count);
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

  private static Map<String, String> options(String[] args) {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 == args.length) {
        throw new IllegalArgumentException(
            "usage: RetrievalEvaluation [--data DIR] [--split test|train] [--model NAME]"
                + " [--k1 X] [--b Y]");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }
}
