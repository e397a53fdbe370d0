package dev.agentbrain.query.eval;

import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.query.Fusion;
import dev.agentbrain.query.SearchMode;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import dev.agentbrain.storage.postgres.PostgresConfig;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

/**
 * {@code make bench-scale}: search latency at the store as an index grows, on real text and real
 * vectors, without embedding the corpus again.
 *
 * <p>Rows: the SciFact test corpus cut by the indexer's chunker ({@link ChunkedCorpus}, as {@code
 * make eval} cuts it: 6,683 chunks of bge-small) with the chunk vectors {@code make eval} caches,
 * replicated: copy {@code r} of chunk {@code i} has id {@code r-<chunk id>}, document {@code
 * r-<document id>}, the same text and heading, and the chunk's vector plus Gaussian noise of
 * standard deviation 0.01 per dimension (seed {@code r * 1,000,003 + i}), normalised again; copy 0
 * is the original. PostgreSQL loads them the way a replay does ({@link
 * PostgresStore#ensureIndexForBulkLoad}, batched writes, then {@link
 * PostgresStore#buildVectorIndex}); the Chroma backend's keyword index (Lucene, {@link
 * KeywordIndexes}) gets the same chunks. Each of 60 SciFact test queries runs once per mode, one
 * client, top 100: PostgreSQL bm25, vector, hybrid and rrf (vector and keyword searches fused as
 * the query API fuses them), Lucene bm25. The load average is printed with every row, because the
 * machine is shared. Writes {@code scale.json}, {@code scale.md} and {@code scale.png} (p99 by
 * size, with issue 14's targets at 100k chunks: bm25 30 ms, hybrid and rrf 50 ms).
 *
 * <p>Arguments: {@code --data DIR} (SciFact), {@code --vectors FILE}, {@code --sizes 10000,100000},
 * {@code --out docs/benchmarks}, {@code --keep true} (leave the indexes).
 */
public final class ScaleBenchmark {

  private static final int TOP_K = 100;
  private static final int QUERIES = 60;
  private static final int BATCH = 1000;
  private static final double NOISE = 0.01;

  private ScaleBenchmark() {}

  /** One measured row: a backend's mode at an index size. */
  record Row(
      String backend,
      int chunks,
      String mode,
      double p50,
      double p95,
      double p99,
      double loadAverage) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path data = Path.of(options.getOrDefault("data", "../shared/data/scifact"));
    Path vectorsFile = Path.of(options.get("vectors"));
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks"));
    boolean keep = Boolean.parseBoolean(options.getOrDefault("keep", "false"));
    List<Integer> sizes =
        List.of(options.getOrDefault("sizes", "10000,100000").split(",")).stream()
            .map(Integer::parseInt)
            .toList();
    String url = System.getenv().getOrDefault("AGENT_BRAIN_PG_URL", "");
    String user = System.getenv().getOrDefault("AGENT_BRAIN_PG_USER", "postgres");
    String password = System.getenv().getOrDefault("AGENT_BRAIN_PG_PASSWORD", "");

    BeirDataset test = BeirDataset.read(data, "test");
    List<String> queryTexts = test.queries().values().stream().limit(QUERIES).toList();
    List<ChunkedCorpus.Piece> chunks;
    List<float[]> vectors;
    List<float[]> queryVectors;
    try (EmbeddingModel model = EmbeddingModels.create(EmbeddingModels.DEFAULT_MODEL, 2)) {
      ChunkedCorpus corpus = ChunkedCorpus.of(test, model);
      chunks = corpus.chunks();
      vectors = CorpusVectors.cached(corpus.texts(), model, vectorsFile);
      queryVectors = queryTexts.stream().map(model::embedQuery).toList();
    }
    BenchmarkRun run = BenchmarkRun.start("make bench-scale");
    System.out.printf(
        Locale.ROOT,
        "machine: %d cores, load average %s; %,d chunks of %,d SciFact documents with %d-d"
            + " vectors%n",
        Runtime.getRuntime().availableProcessors(),
        run.loadAtStart(),
        chunks.size(),
        test.documents().size(),
        vectors.get(0).length);

    List<Row> rows = new ArrayList<>();
    Path keywordRoot = Files.createTempDirectory("agent-brain-bench-scale");
    try (PostgresStore postgres =
            new PostgresStore(
                new PostgresConfig(
                    url,
                    user,
                    password,
                    PostgresConfig.DEFAULT_MAX_POOL_SIZE,
                    PostgresConfig.DEFAULT_CONNECTION_TIMEOUT,
                    100));
        KeywordIndexes lucene = new KeywordIndexes(keywordRoot, Bm25.STANDARD)) {
      for (int size : sizes) {
        IndexSpec spec =
            new IndexSpec("benchscale_" + size, vectors.get(0).length, "bge-small", "english");
        postgres.dropIndex(spec.physicalName());
        postgres.ensureIndexForBulkLoad(spec);
        lucene.ensureIndex(spec);
        long started = System.nanoTime();
        List<ChunkWrite> batch = new ArrayList<>(BATCH);
        for (int n = 0; n < size; n++) {
          batch.add(new ChunkWrite.Upsert(replica(chunks, vectors, n)));
          if (batch.size() == BATCH || n == size - 1) {
            postgres.write(spec.physicalName(), batch);
            lucene.apply(spec.physicalName(), batch, Map.of());
            batch.clear();
          }
        }
        lucene.commit();
        // a keyword index answers only once its build is marked complete, as a sink's rebuild does
        lucene.completeBuild(spec.physicalName(), Map.of());
        double loaded = (System.nanoTime() - started) / 1e9;
        double built = postgres.buildVectorIndex(spec.physicalName(), "1GB", 1).toMillis() / 1000.0;
        System.out.printf(
            Locale.ROOT,
            "%,d chunks: loaded in %.0f s, HNSW built in %.0f s (load average %.2f)%n",
            size,
            loaded,
            built,
            loadAverage());
        String name = spec.physicalName();
        Function<Integer, List<SearchHit>> keyword =
            q -> keyword(postgres, name, queryTexts, q, TOP_K);
        Function<Integer, List<SearchHit>> vector =
            q ->
                postgres.vectorSearch(
                    name, new VectorQuery(queryVectors.get(q), TOP_K, 0, Filter.ALL));
        rows.add(measure("PostgreSQL", size, "bm25", keyword));
        rows.add(measure("PostgreSQL", size, "vector", vector));
        for (SearchMode mode : List.of(SearchMode.Hybrid.DEFAULT, SearchMode.Rrf.DEFAULT)) {
          // as the API: each retriever ranks Fusion.candidates deep, then the one fusion
          int depth = Fusion.candidates(mode, TOP_K);
          rows.add(
              measure(
                  "PostgreSQL",
                  size,
                  mode instanceof SearchMode.Hybrid ? "hybrid" : "rrf",
                  q ->
                      Fusion.fuse(
                              mode,
                              postgres.vectorSearch(
                                  name, new VectorQuery(queryVectors.get(q), depth, 0, Filter.ALL)),
                              keyword(postgres, name, queryTexts, q, depth),
                              TOP_K)
                          .stream()
                          .map(f -> new SearchHit(f.chunk(), f.score()))
                          .toList()));
        }
        rows.add(
            measure(
                "Lucene (Chroma backend)",
                size,
                "bm25",
                q -> lucene.search(name, new KeywordQuery(queryTexts.get(q), TOP_K, Filter.ALL))));
        if (!keep) {
          postgres.dropIndex(name);
          lucene.drop(name);
        }
      }
    }
    write(run, out, rows, chunks.size());
  }

  /** Row {@code n}: copy {@code n / chunks} of one chunk, its vector perturbed. */
  static ChunkRecord replica(List<ChunkedCorpus.Piece> chunks, List<float[]> vectors, int n) {
    int i = n % chunks.size();
    int copy = n / chunks.size();
    float[] vector = vectors.get(i).clone();
    if (copy > 0) {
      Random noise = new Random(copy * 1_000_003L + i);
      double norm = 0;
      for (int d = 0; d < vector.length; d++) {
        vector[d] += (float) (noise.nextGaussian() * NOISE);
        norm += vector[d] * vector[d];
      }
      for (int d = 0; d < vector.length; d++) {
        vector[d] /= (float) Math.sqrt(norm);
      }
    }
    ChunkedCorpus.Piece chunk = chunks.get(i);
    String document = copy + "-" + chunk.documentId();
    return new ChunkRecord(
        copy + "-" + chunk.id(),
        document,
        1,
        chunk.position(),
        chunk.text(),
        document + ".md",
        "doc",
        "en",
        chunk.headingPath(),
        "",
        Map.of(),
        vector);
  }

  private static List<SearchHit> keyword(
      PostgresStore store, String name, List<String> texts, int q, int topK) {
    return store.keywordSearch(name, new KeywordQuery(texts.get(q), topK, Filter.ALL));
  }

  /** Runs every query once as warm-up, then once measured; percentiles in milliseconds. */
  private static Row measure(
      String backend, int size, String mode, Function<Integer, List<SearchHit>> search) {
    for (int q = 0; q < QUERIES; q++) {
      search.apply(q);
    }
    double[] millis = new double[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      long t0 = System.nanoTime();
      search.apply(q);
      millis[q] = (System.nanoTime() - t0) / 1e6;
    }
    java.util.Arrays.sort(millis);
    Row row =
        new Row(
            backend,
            size,
            mode,
            percentile(millis, 0.50),
            percentile(millis, 0.95),
            percentile(millis, 0.99),
            loadAverage());
    System.out.printf(
        Locale.ROOT,
        "%-24s %,9d %-7s p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  (load average %.2f)%n",
        backend,
        size,
        mode,
        row.p50(),
        row.p95(),
        row.p99(),
        row.loadAverage());
    return row;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
  }

  private static void write(BenchmarkRun run, Path out, List<Row> rows, int chunks) {
    String machine = run.machine();
    List<Map<String, Object>> measured = new ArrayList<>();
    StringBuilder markdown =
        new StringBuilder(
            ("# Search latency by index size, at the store\n\n"
                    + "Written by `make bench-scale` at %s: %,d SciFact chunks (the indexer's"
                    + " chunker, bge-small vectors of `make eval`) replicated with perturbed"
                    + " vectors; %d test queries, one client, top %d. Machine: %s. Targets of"
                    + " issue 14 at 100k chunks: PostgreSQL bm25 p99 30 ms, hybrid and rrf p99"
                    + " 50 ms.\n\n![p99 by index size](scale.png)\n\n")
                .formatted(Instant.now(), chunks, QUERIES, TOP_K, machine));
    markdown.append(
        "| backend | chunks | mode | p50 ms | p95 ms | p99 ms | load average |\n"
            + "|---|---:|---|---:|---:|---:|---:|\n");
    BenchmarkChart chart =
        BenchmarkChart.lines(
                "p99 search latency at the store by index size (%d queries, one client, top %d)"
                    .formatted(QUERIES, TOP_K),
                "chunks",
                "p99 ms")
            .logarithmicX()
            .logarithmicY()
            .reference("target: PostgreSQL bm25 p99 30 ms at 100k (issue 14)", 30)
            .reference("target: PostgreSQL hybrid/rrf p99 50 ms at 100k (issue 14)", 50);
    for (Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("backend", r.backend());
      row.put("chunks", r.chunks());
      row.put("mode", r.mode());
      row.put("p50_ms", r.p50());
      row.put("p95_ms", r.p95());
      row.put("p99_ms", r.p99());
      row.put("load_average", r.loadAverage());
      measured.add(row);
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %s | %.1f | %.1f | %.1f | %.1f |%n",
              r.backend(),
              r.chunks(),
              r.mode(),
              r.p50(),
              r.p95(),
              r.p99(),
              r.loadAverage()));
      chart.point(r.backend() + " " + r.mode(), r.chunks(), r.p99());
    }
    Map<String, Object> json = run.json(machine);
    json.put("source_chunks", chunks);
    json.put("queries", QUERIES);
    json.put("top_k", TOP_K);
    json.put("rows", measured);
    run.write(out, "scale", json, markdown.toString(), chart, 1000, 600);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
