package dev.agentbrain.bench.scale;

import com.pgvector.PGvector;
import dev.agentbrain.bench.eval.ChunkedCorpus;
import dev.agentbrain.bench.eval.CorpusVectors;
import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.testing.BeirDataset;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code make bench-hnsw}: how to build the HNSW index of a large replay on PostgreSQL, measured on
 * real vectors: the SciFact test corpus cut by the indexer's chunker ({@link ChunkedCorpus}, as
 * {@code make eval} cuts it) with the chunk vectors {@code make eval} caches. Two tables get the
 * same rows the way the sink writes them (batched INSERTs, one transaction per batch):
 *
 * <ol>
 *   <li>build first: the HNSW index exists before the first row (what a sink does today);
 *   <li>load, then build: rows first, then {@code CREATE INDEX} with a raised {@code
 *       maintenance_work_mem} and {@code max_parallel_maintenance_workers}.
 * </ol>
 *
 * It reports both times, the recall@10 of each index against an exact scan, and the latency of
 * queries on the first table (standing in for the live version) when idle and while the second
 * index is built, and writes them as {@code hnsw-build.json}, {@code .md} and {@code .png}. Tables
 * are dropped at the end.
 *
 * <p>Arguments: {@code --vectors FILE} (required), {@code --data DIR} (SciFact), {@code --url},
 * {@code --user}, {@code --password}, {@code --memory 1GB}, {@code --workers 1}, {@code --limit N},
 * {@code --out docs/benchmarks}.
 */
public final class HnswBuildBenchmark {

  private static final int BATCH = 500;
  private static final int QUERIES = 100;
  private static final int K = 10;

  private HnswBuildBenchmark() {}

  public static void main(String[] args) throws Exception {
    String vectorsFile = null;
    String url = "jdbc:postgresql://127.0.0.1:5432/agentbrain";
    String user = System.getenv().getOrDefault("AGENT_BRAIN_PG_USER", "postgres");
    String password = System.getenv().getOrDefault("AGENT_BRAIN_PG_PASSWORD", "");
    String memory = "1GB";
    int workers = 1;
    int limit = Integer.MAX_VALUE;
    Path data = Path.of("../shared/data/scifact");
    Path out = Path.of("docs/benchmarks");
    for (int i = 0; i < args.length; i += 2) {
      String value = args[i + 1];
      switch (args[i]) {
        case "--vectors" -> vectorsFile = value;
        case "--url" -> url = value;
        case "--user" -> user = value;
        case "--password" -> password = value;
        case "--memory" -> memory = value;
        case "--workers" -> workers = Integer.parseInt(value);
        case "--limit" -> limit = Integer.parseInt(value);
        case "--data" -> data = Path.of(value);
        case "--out" -> out = Path.of(value);
        default -> throw new IllegalArgumentException("unknown argument " + args[i]);
      }
    }
    if (vectorsFile == null) {
      throw new IllegalArgumentException(
          "--vectors FILE is required: the .vectors file `make eval` leaves in .agent-brain/eval");
    }
    List<float[]> vectors;
    try (EmbeddingModel model = EmbeddingModels.create(EmbeddingModels.DEFAULT_MODEL, 1)) {
      vectors =
          CorpusVectors.cached(
              ChunkedCorpus.of(BeirDataset.read(data, "test"), model).texts(),
              model,
              Path.of(vectorsFile));
    }
    vectors = vectors.subList(0, Math.min(limit, vectors.size()));
    int dimensions = vectors.get(0).length;
    List<float[]> queries = queries(vectors);
    System.out.printf(
        Locale.ROOT,
        "%d chunk vectors of %d dimensions from %s; %d cores, load average %.2f%n",
        vectors.size(),
        dimensions,
        vectorsFile,
        Runtime.getRuntime().availableProcessors(),
        loadAverage());
    BenchmarkRun run = BenchmarkRun.start("make bench-hnsw");
    try (Connection main = DriverManager.getConnection(url, user, password);
        Connection probe = DriverManager.getConnection(url, user, password)) {
      PGvector.addVectorType(main);
      PGvector.addVectorType(probe);
      String first = "hnswbench_first";
      String after = "hnswbench_after";
      try {
        create(main, first, dimensions);
        create(main, after, dimensions);
        hnsw(main, first);
        long t0 = System.nanoTime();
        insert(main, first, vectors);
        double buildFirst = seconds(t0);
        System.out.printf(
            Locale.ROOT, "build first:     %.1f s (inserts into the index)%n", buildFirst);
        analyze(main, first);

        Latency idle = latency(probe, first, queries, new AtomicBoolean(true), 200);
        t0 = System.nanoTime();
        insert(main, after, vectors);
        double load = seconds(t0);
        try (Statement s = main.createStatement()) {
          s.execute("SET maintenance_work_mem = '" + memory.replace("'", "") + "'");
          s.execute("SET max_parallel_maintenance_workers = " + workers);
        }
        AtomicBoolean building = new AtomicBoolean(true);
        Latency[] during = new Latency[1];
        Thread prober =
            Thread.ofPlatform()
                .start(
                    () -> {
                      try {
                        during[0] = latency(probe, first, queries, building, Integer.MAX_VALUE);
                      } catch (SQLException e) {
                        throw new IllegalStateException(e);
                      }
                    });
        t0 = System.nanoTime();
        hnsw(main, after);
        double build = seconds(t0);
        building.set(false);
        prober.join();
        analyze(main, after);
        System.out.printf(
            Locale.ROOT,
            "load then build: %.1f s (load %.1f s + build %.1f s, maintenance_work_mem %s, %d parallel workers) — %.1fx faster%n",
            load + build,
            load,
            build,
            memory,
            workers,
            buildFirst / (load + build));
        double recallFirst = recall(probe, first, queries);
        double recallAfter = recall(probe, after, queries);
        System.out.printf(
            Locale.ROOT,
            "recall@%d against an exact scan (%d queries, ef_search 100): build first %.3f, load then build %.3f%n",
            K,
            QUERIES,
            recallFirst,
            recallAfter);
        System.out.printf(
            Locale.ROOT,
            "queries on the other table: idle p50 %.1f ms p99 %.1f ms; during the build p50 %.1f ms p99 %.1f ms (%d queries)%n",
            idle.p50(),
            idle.p99(),
            during[0].p50(),
            during[0].p99(),
            during[0].count());
        write(
            run,
            out,
            new Result(
                vectors.size(),
                dimensions,
                memory,
                workers,
                buildFirst,
                load,
                build,
                recallFirst,
                recallAfter,
                idle,
                during[0]));
      } finally {
        try (Statement s = main.createStatement()) {
          s.execute("DROP TABLE IF EXISTS " + first);
          s.execute("DROP TABLE IF EXISTS " + after);
        }
      }
    }
  }

  private record Latency(double p50, double p99, int count) {}

  /** What one run measured: times in seconds, recall@{@value K} against an exact scan. */
  private record Result(
      int rows,
      int dimensions,
      String memory,
      int workers,
      double buildFirst,
      double load,
      double build,
      double recallFirst,
      double recallAfter,
      Latency idle,
      Latency during) {}

  private static void write(BenchmarkRun run, Path out, Result r) {
    String machine = run.machine();
    Map<String, Object> json = run.json(machine);
    json.put("rows", r.rows());
    json.put("dimensions", r.dimensions());
    json.put("maintenance_work_mem", r.memory());
    json.put("parallel_workers", r.workers());
    json.put("build_first_s", r.buildFirst());
    json.put("load_then_build_s", Map.of("load", r.load(), "build", r.build()));
    json.put(
        "recall_at_10", Map.of("build_first", r.recallFirst(), "load_then_build", r.recallAfter()));
    json.put("other_table_idle_ms", Map.of("p50", r.idle().p50(), "p99", r.idle().p99()));
    json.put(
        "other_table_during_build_ms",
        Map.of("p50", r.during().p50(), "p99", r.during().p99(), "queries", r.during().count()));
    String markdown =
        String.format(
            Locale.ROOT,
            """
            # Building the HNSW index of a replay on PostgreSQL

            Written by `make bench-hnsw` at %s: %,d SciFact chunk vectors (%d dimensions, the \
            indexer's chunker, vectors of `make eval`), batched INSERTs of %d rows; the index of \
            the sinks (m 16, ef_construction 64, cosine). Machine: %s.

            ![build times](hnsw-build.png)

            | | seconds | recall@%d (ef_search 100, %d queries) |
            |---|---:|---:|
            | build first (rows inserted into the index) | %.1f | %.3f |
            | load, then build (maintenance_work_mem %s, %d parallel workers) | %.1f (%.1f + %.1f) | %.3f |

            Queries on the other table: idle p50 %.1f ms, p99 %.1f ms; during the build p50 \
            %.1f ms, p99 %.1f ms (%d queries).
            """,
            Instant.now(),
            r.rows(),
            r.dimensions(),
            BATCH,
            machine,
            K,
            QUERIES,
            r.buildFirst(),
            r.recallFirst(),
            r.memory(),
            r.workers(),
            r.load() + r.build(),
            r.load(),
            r.build(),
            r.recallAfter(),
            r.idle().p50(),
            r.idle().p99(),
            r.during().p50(),
            r.during().p99(),
            r.during().count());
    BenchmarkChart chart =
        BenchmarkChart.bars(
                "HNSW index of %,d chunk vectors on PostgreSQL: time to searchable"
                    .formatted(r.rows()),
                null,
                "seconds")
            .bar("INSERT of the rows", "build first", r.buildFirst())
            .bar("INSERT of the rows", "load, then build", r.load())
            .bar("CREATE INDEX", "build first", 0)
            .bar("CREATE INDEX", "load, then build", r.build())
            .stacked();
    run.write(out, "hnsw-build", json, markdown, chart, 900, 550);
  }

  private static void create(Connection c, String table, int dimensions) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("DROP TABLE IF EXISTS " + table);
      s.execute(
          "CREATE TABLE "
              + table
              + " (id integer PRIMARY KEY, embedding vector("
              + dimensions
              + "))");
    }
  }

  /** The index the sinks create (ChunkTable: m 16, ef_construction 64, cosine). */
  private static void hnsw(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(
          "CREATE INDEX "
              + table
              + "_hnsw ON "
              + table
              + " USING hnsw (embedding vector_cosine_ops) WITH (m = 16, ef_construction = 64)");
    }
  }

  private static void analyze(Connection c, String table) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("ANALYZE " + table);
    }
  }

  private static void insert(Connection c, String table, List<float[]> vectors)
      throws SQLException {
    c.setAutoCommit(false);
    try (PreparedStatement insert =
        c.prepareStatement("INSERT INTO " + table + " (id, embedding) VALUES (?, ?)")) {
      for (int i = 0; i < vectors.size(); i++) {
        insert.setInt(1, i);
        insert.setObject(2, new PGvector(vectors.get(i)));
        insert.addBatch();
        if ((i + 1) % BATCH == 0 || i == vectors.size() - 1) {
          insert.executeBatch();
          c.commit();
        }
      }
    } finally {
      c.setAutoCommit(true);
    }
  }

  /** Queries between two corpus vectors: near real data, but not rows of the table. */
  private static List<float[]> queries(List<float[]> vectors) {
    Random random = new Random(42);
    List<float[]> queries = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      float[] a = vectors.get(random.nextInt(vectors.size()));
      float[] b = vectors.get(random.nextInt(vectors.size()));
      float[] mid = new float[a.length];
      double norm = 0;
      for (int d = 0; d < a.length; d++) {
        mid[d] = a[d] + b[d];
        norm += mid[d] * mid[d];
      }
      for (int d = 0; d < a.length; d++) {
        mid[d] /= (float) Math.sqrt(norm);
      }
      queries.add(mid);
    }
    return queries;
  }

  private static Set<Integer> nearest(Connection c, String table, float[] query, boolean exact)
      throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute("SET enable_indexscan = " + (exact ? "off" : "on"));
      s.execute("SET hnsw.ef_search = 100");
    }
    try (PreparedStatement select =
        c.prepareStatement("SELECT id FROM " + table + " ORDER BY embedding <=> ? LIMIT " + K)) {
      select.setObject(1, new PGvector(query));
      Set<Integer> ids = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getInt(1));
        }
      }
      return ids;
    }
  }

  private static double recall(Connection c, String table, List<float[]> queries)
      throws SQLException {
    long found = 0;
    for (float[] query : queries) {
      Set<Integer> exact = nearest(c, table, query, true);
      Set<Integer> approximate = nearest(c, table, query, false);
      approximate.retainAll(exact);
      found += approximate.size();
    }
    try (Statement s = c.createStatement()) {
      s.execute("SET enable_indexscan = on");
    }
    return (double) found / (queries.size() * K);
  }

  /** Runs the queries round-robin while {@code running} (at most {@code max}); their latencies. */
  private static Latency latency(
      Connection c, String table, List<float[]> queries, AtomicBoolean running, int max)
      throws SQLException {
    List<Double> millis = new ArrayList<>();
    for (int i = 0; running.get() && i < max; i++) {
      long t0 = System.nanoTime();
      nearest(c, table, queries.get(i % queries.size()), false);
      millis.add((System.nanoTime() - t0) / 1e6);
    }
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (sorted.length == 0) {
      return new Latency(0, 0, 0);
    }
    return new Latency(
        sorted[sorted.length / 2],
        sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * 0.99) - 1)],
        sorted.length);
  }

  private static double seconds(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1e9;
  }

  private static double loadAverage() {
    return java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
