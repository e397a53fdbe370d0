package dev.agentbrain.bench.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.query.Fusion;
import dev.agentbrain.query.ScoreNormalisation;
import dev.agentbrain.query.SearchMode;
import dev.agentbrain.storage.Bm25;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * What one {@code make eval} run measured, printed and written as {@code <dataset>-fusion.json},
 * {@code .md} and two plots ({@code .png}: old defaults against tuned per backend, split and mode;
 * train nDCG@10 against alpha per normalisation).
 *
 * @param chunking the chunk size the corpus was cut at
 * @param normalisations per hybrid normalisation, its best alpha on train and the curve
 * @param rows every measured (backend, split, setting)
 * @param keywordExactness per backend, bm25 as served against exhaustive scoring on the test split
 * @param loadBefore the machine's load average when the run started ({@code /proc/loadavg})
 * @param loadAfter the load average when it ended
 */
record EvaluationReport(
    String dataset,
    String model,
    Bm25 bm25,
    ChunkingSettings chunking,
    int trainQueries,
    int testQueries,
    List<Normalisation> normalisations,
    List<Depth> depths,
    List<Row> rows,
    List<KeywordExactness.Result> keywordExactness,
    String loadBefore,
    String loadAfter,
    int cores) {

  /**
   * A mode with its parameters, and what it is in the comparison.
   *
   * @param depth the least fusion depth ({@link dev.agentbrain.query.Fusion#candidates})
   */
  record Setting(String role, SearchMode mode, int depth) {
    Setting(String role, SearchMode mode) {
      this(role, mode, Fusion.MIN_FUSION_DEPTH);
    }

    String label() {
      return switch (mode) {
        case SearchMode.Hybrid h ->
            "hybrid alpha %.2f %s depth %d%s"
                .formatted(
                    h.alpha(),
                    h.normalisation().name().toLowerCase(Locale.ROOT),
                    depth,
                    h.instructedQuery() ? "" : " uninstructed");
        case SearchMode.Rrf r ->
            "rrf k %d weights %.2f/%.2f".formatted(r.k(), r.vectorWeight(), r.bm25Weight());
        default -> mode.name();
      };
    }
  }

  /**
   * One hybrid normalisation on the train split.
   *
   * @param bestDepth the least fusion depth of its best setting on train
   * @param bestInstructed whether its best setting on train embeds the query with the model's
   *     instruction
   * @param trainByAlpha mean train nDCG@10 over the backends at each of {@link FusionGrid#ALPHAS},
   *     at the best depth and query embedding
   */
  record Normalisation(
      ScoreNormalisation normalisation,
      double bestAlpha,
      int bestDepth,
      boolean bestInstructed,
      double trainNdcg,
      double testNdcg,
      List<Double> trainByAlpha) {}

  /**
   * The train's normalisation at one least fusion depth, with its best alpha there.
   *
   * @param trainNdcg mean train nDCG@10 over the backends
   * @param testNdcg mean test nDCG@10 over the backends
   */
  record Depth(int depth, double bestAlpha, double trainNdcg, double testNdcg) {}

  /** One setting measured on one split of one backend. */
  /**
   * One setting measured on one backend and split.
   *
   * @param ndcg nDCG@10 of a top_k 100 request (what the settings are tuned on)
   * @param ndcgTop10 nDCG@10 of a top_k 10 request, whose fused modes rank fewer candidates
   */
  record Row(
      String backend,
      String split,
      Setting setting,
      double ndcg,
      double ndcgTop10,
      double recall,
      double ms) {

    /** A table line's values: backend, split, role, setting, nDCG@10, (top 10), recall, ms. */
    Object[] cells() {
      return new Object[] {
        backend, split, setting.role(), setting.label(), ndcg, ndcgTop10, recall, ms
      };
    }
  }

  void print(PrintStream out) {
    out.printf(
        "%nhybrid normalisations on the %d train queries (mean of the backends, best alpha each):%n",
        trainQueries);
    out.printf(
        "%-14s %6s %6s %-13s %10s %10s%n",
        "normalisation", "alpha", "depth", "query", "train", "test");
    for (Normalisation n : normalisations) {
      out.printf(
          "%-14s %6.2f %6d %-13s %10.4f %10.4f%n",
          n.normalisation().name().toLowerCase(Locale.ROOT),
          n.bestAlpha(),
          n.bestDepth(),
          query(n.bestInstructed()),
          n.trainNdcg(),
          n.testNdcg());
    }
    out.printf("%nthe train's normalisation by least fusion depth (best alpha at each):%n");
    out.printf("%6s %6s %10s %10s%n", "depth", "alpha", "train", "test");
    for (Depth d : depths) {
      out.printf(
          "%6d %6.2f %10.4f %10.4f%n", d.depth(), d.bestAlpha(), d.trainNdcg(), d.testNdcg());
    }
    out.printf(
        "%n%-10s %-6s %-16s %-44s %8s %9s %11s %9s%n",
        "backend", "split", "role", "setting", "nDCG@10", "(top 10)", "recall@100", "ms/query");
    for (Row row : rows) {
      out.printf("%-10s %-6s %-16s %-44s %8.4f %9.4f %11.4f %9.1f%n", row.cells());
    }
    out.printf("%nbm25 as served against exhaustive scoring:%n");
    keywordExactness.forEach(result -> out.println(result.line()));
    out.printf(
        "load average %s at the start, %s at the end, %d cores%n", loadBefore, loadAfter, cores);
  }

  /** Writes the JSON, the Markdown table and the plots into {@code directory}. */
  void write(Path directory) {
    try {
      Files.createDirectories(directory);
      Path json = directory.resolve(dataset + "-fusion.json");
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(json.toFile(), asJson());
      Files.writeString(
          directory.resolve(dataset + "-fusion.md"), markdown(), StandardCharsets.UTF_8);
      comparisonChart().save(directory.resolve(dataset + "-fusion.png"), 1100, 600);
      alphaChart().save(directory.resolve(dataset + "-normalisation.png"), 900, 550);
      System.out.printf("%nwrote %s, .md and the plots%n", json);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the report to " + directory, e);
    }
  }

  private Map<String, Object> asJson() {
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("dataset", dataset);
    root.put("model", model);
    root.put("bm25", fields("k1", bm25.k1(), "b", bm25.b()));
    root.put(
        "chunking",
        fields("max_tokens", chunking.maxTokens(), "overlap_tokens", chunking.overlapTokens()));
    root.put("train_queries", trainQueries);
    root.put("test_queries", testQueries);
    root.put("measured_at", Instant.now().toString());
    root.put("cores", cores);
    root.put("load_average_start", loadBefore);
    root.put("load_average_end", loadAfter);
    root.put(
        "ndcg",
        "nDCG@10 and recall of the documents of a top_k 100 request, each at the rank of its best"
            + " chunk (ndcg10_top10: of a top_k 10 request); documents chunked as the indexer"
            + " does");
    root.put("hybrid_normalisations", objects(normalisations, EvaluationReport::normalisationJson));
    root.put("fusion_depths", objects(depths, EvaluationReport::depthJson));
    root.put("results", objects(rows, EvaluationReport::rowJson));
    root.put("keyword_exactness", objects(keywordExactness, EvaluationReport::exactnessJson));
    return root;
  }

  /** How a setting's query was embedded ({@link SearchMode#instructedQuery}). */
  private static String query(boolean instructed) {
    return instructed ? "instructed" : "uninstructed";
  }

  private static Map<String, Object> normalisationJson(Normalisation n) {
    return fields(
        "normalisation", n.normalisation().name().toLowerCase(Locale.ROOT),
        "best_alpha", n.bestAlpha(),
        "best_depth", n.bestDepth(),
        "best_query_instructed", n.bestInstructed(),
        "train_ndcg10", n.trainNdcg(),
        "test_ndcg10", n.testNdcg(),
        "alphas", FusionGrid.ALPHAS,
        "train_ndcg10_by_alpha", n.trainByAlpha());
  }

  private static Map<String, Object> depthJson(Depth d) {
    return fields(
        "depth", d.depth(),
        "best_alpha", d.bestAlpha(),
        "train_ndcg10", d.trainNdcg(),
        "test_ndcg10", d.testNdcg());
  }

  private static Map<String, Object> rowJson(Row row) {
    return fields(
        "backend", row.backend(),
        "split", row.split(),
        "role", row.setting().role(),
        "mode", row.setting().mode().name(),
        "setting", row.setting().label(),
        "ndcg10", row.ndcg(),
        "ndcg10_top10", row.ndcgTop10(),
        "recall100", row.recall(),
        "ms_per_query", row.ms());
  }

  private static Map<String, Object> exactnessJson(KeywordExactness.Result e) {
    return fields(
        "backend", e.backend(),
        "reference", e.reference(),
        "queries", e.queries(),
        "top10_overlap", e.meanOverlap(),
        "identical_top10", e.identical(),
        "ndcg10", e.ndcg(),
        "ndcg10_exhaustive", e.exhaustiveNdcg());
  }

  /** One JSON object per item, its fields in the order {@code fields} gives them. */
  private static <T> List<Map<String, Object>> objects(
      List<T> items, Function<T, Map<String, Object>> fields) {
    return items.stream().map(fields).toList();
  }

  /** A JSON object's fields in the order given: name, value, name, value, ... */
  private static Map<String, Object> fields(Object... namesAndValues) {
    Map<String, Object> fields = new LinkedHashMap<>();
    for (int i = 0; i < namesAndValues.length; i += 2) {
      fields.put((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return fields;
  }

  private String markdown() {
    StringBuilder md = new StringBuilder();
    md.append("# %s: fusion settings, old defaults against tuned\n\n".formatted(dataset));
    md.append(
        ("Written by `make eval` at %s: %s, BM25 k1 %.2f b %.2f, %d train and %d test queries;"
                + " each document a Markdown file (title as heading) cut by the indexer's chunker"
                + " into chunks of at most %d tokens overlapping by %d."
                + " nDCG@10 and recall of the documents of a `top_k` 100 request, each at the rank"
                + " of its best chunk, through the API's own fusion (`Fusion.fuse`) and candidate"
                + " depth; `(top 10)` is nDCG@10 of a `top_k` 10 request, whose fused modes rank"
                + " the setting's depth of candidates of each retriever instead of 404."
                + " Machine: %d cores, load average %s at the start, %s at the end.\n\n")
            .formatted(
                Instant.now(),
                model,
                bm25.k1(),
                bm25.b(),
                trainQueries,
                testQueries,
                chunking.maxTokens(),
                chunking.overlapTokens(),
                cores,
                loadBefore,
                loadAfter));
    md.append("Hybrid normalisations, best alpha of each on train (mean of the backends):\n\n");
    md.append(
        "| normalisation | alpha | depth | query | train nDCG@10 | test nDCG@10 |\n"
            + "|---|---|---|---|---|---|\n");
    for (Normalisation n : normalisations) {
      md.append(
          "| %s | %.2f | %d | %s | %.4f | %.4f |\n"
              .formatted(
                  n.normalisation().name().toLowerCase(Locale.ROOT),
                  n.bestAlpha(),
                  n.bestDepth(),
                  query(n.bestInstructed()),
                  n.trainNdcg(),
                  n.testNdcg()));
    }
    md.append(
        "\nThe train's normalisation by least fusion depth (each retriever's candidates and the"
            + " depth of the normalisation's statistics), best alpha at each:\n\n"
            + "| depth | alpha | train nDCG@10 | test nDCG@10 |\n|---|---|---|---|\n");
    for (Depth d : depths) {
      md.append(
          "| %d | %.2f | %.4f | %.4f |\n"
              .formatted(d.depth(), d.bestAlpha(), d.trainNdcg(), d.testNdcg()));
    }
    md.append(
        "\n| backend | split | role | setting | nDCG@10 | (top 10) | recall@100 | ms/query |\n"
            + "|---|---|---|---|---|---|---|---|\n");
    for (Row row : rows) {
      md.append("| %s | %s | %s | %s | %.4f | %.4f | %.4f | %.1f |\n".formatted(row.cells()));
    }
    md.append(
        "\nbm25 as served (PostgreSQL prunes what cannot reach the top k) against exhaustive"
            + " scoring, on the test split:\n\n");
    keywordExactness.forEach(result -> md.append("- ").append(result.line()).append('\n'));
    return md.toString();
  }

  private BenchmarkChart comparisonChart() {
    BenchmarkChart chart =
        BenchmarkChart.bars(
            "%s nDCG@10 (top_k 100): old defaults, API defaults, train's pick, no chunk context"
                .formatted(dataset),
            null,
            "nDCG@10");
    for (Row row : rows) {
      String mode = row.setting().mode().name();
      // bm25 and vector have no role of their own: they are what the API answers
      String role = row.setting().role().equals("-") ? "API default" : row.setting().role();
      String series = row.split() + ", " + role;
      chart.bar(series, row.backend() + " " + mode, row.ndcg());
    }
    double min = rows.stream().mapToDouble(Row::ndcg).min().orElse(0);
    double max = rows.stream().mapToDouble(Row::ndcg).max().orElse(1);
    // published SciFact test nDCG@10 (one vector per abstract, not per chunk), where one exists
    if (dataset.equals("scifact")) {
      chart
          .reference("BM25, published 0.665 (BEIR)", 0.665)
          .reference("bge-small-en-v1.5, published 0.713 (MTEB)", 0.713);
    }
    return chart.valueRange(Math.floor(min * 20) / 20 - 0.02, Math.ceil(max * 20) / 20 + 0.01);
  }

  private BenchmarkChart alphaChart() {
    BenchmarkChart chart =
        BenchmarkChart.lines(
            "%s train nDCG@10 of hybrid by alpha, per normalisation (mean of the backends)"
                .formatted(dataset),
            "alpha (weight of the vector score)",
            "nDCG@10");
    for (Normalisation n : normalisations) {
      for (int i = 0; i < FusionGrid.ALPHAS.length; i++) {
        chart.point(
            n.normalisation().name().toLowerCase(Locale.ROOT),
            FusionGrid.ALPHAS[i],
            n.trainByAlpha().get(i));
      }
    }
    return chart;
  }
}
