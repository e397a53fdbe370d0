package dev.agentbrain.bench.scale;

import dev.agentbrain.bench.eval.ChunkedCorpus;
import dev.agentbrain.bench.eval.CorpusVectors;
import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.query.Fusion;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.SearchMode;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
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
import dev.agentbrain.testing.BeirDataset;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntConsumer;

/**
 * {@code make bench-scale}: search latency as an index grows, at the store and through the query
 * API, at 1 and 8 concurrent clients, and HNSW recall, on real text and real vectors, without
 * embedding the corpus again.
 *
 * <p>Rows: the SciFact test corpus cut by the indexer's chunker ({@link ChunkedCorpus}, as {@code
 * make eval} cuts it: 6,683 chunks of bge-small) with the chunk vectors {@code make eval} caches,
 * replicated: copy {@code r} of chunk {@code i} has id {@code r-<chunk id>}, document {@code
 * r-<document id>}, the same text and heading, and the chunk's vector plus Gaussian noise of
 * standard deviation 0.01 per dimension (seed {@code r * 1,000,003 + i}), normalised again; copy 0
 * is the original. Each size is an index of its own, registered as a contract under a registry
 * namespace of this run. PostgreSQL loads it the way a replay does ({@link
 * PostgresStore#ensureIndexForBulkLoad}, batched writes, then {@link
 * PostgresStore#buildVectorIndex}); Chroma and its keyword index (Lucene, {@link KeywordIndexes})
 * get the same chunks through {@link KeywordBackedWriter} up to {@code --chroma-max} chunks, and
 * only the keyword index above that (Chroma's ingest is the slow part).
 *
 * <p>Each of 60 SciFact test queries runs once per mode as warm-up, then once per client, top 100:
 * bm25, vector, hybrid and rrf of each backend (fused as the API fuses them), at the store and by
 * {@code POST /query} to a {@link QueryServer} started in this process (query vectors cached by the
 * warm-up, so the API rows add HTTP, JSON and the server's work, not embedding). HNSW recall@10 of
 * PostgreSQL at several {@code ef_search} values, and of Chroma at its default, against an exact
 * scan of the same vectors ({@link ExactNeighbours}). The machine's cores, memory and load average
 * are printed and written with every row, because the machine is shared. Writes {@code scale.json},
 * {@code scale.md} and {@code scale.png} (p99 by size at one client, with issue 14's targets at
 * 100k chunks: bm25 30 ms, hybrid and rrf 50 ms).
 *
 * <p>Arguments: {@code --data DIR} (SciFact), {@code --vectors FILE}, {@code --sizes 10000,100000},
 * {@code --chroma-max 100000}, {@code --ef 40,100,200}, {@code --out docs/benchmarks}, {@code
 * --keep true} (leave the indexes and their contracts).
 */
public final class ScaleBenchmark {

  private static final int TOP_K = 100;
  private static final int RECALL_AT = 10;
  private static final int QUERIES = 60;
  private static final int BATCH = 1000;
  private static final double NOISE = 0.01;
  private static final List<Integer> CLIENTS = List.of(1, 8);
  private static final List<SearchMode> MODES =
      List.of(
          new SearchMode.Bm25(),
          new SearchMode.Vector(),
          SearchMode.Hybrid.DEFAULT,
          SearchMode.Rrf.DEFAULT);

  private ScaleBenchmark() {}

  /** One measured row: a backend's mode at an index size, at the store or through the API. */
  record Row(
      String via,
      String backend,
      int chunks,
      String mode,
      int clients,
      double p50,
      double p95,
      double p99,
      double perSecond,
      double loadAverage) {}

  /** HNSW recall@10 against the exact scan, and the p50 of those searches. */
  record Recall(String backend, int chunks, int efSearch, double recall, double p50) {}

  /** One backend under test: its name, the API's name of it, and how it searches. */
  private record Tested(String name, Backend backend, Retriever retriever) {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    Path data = Path.of(options.getOrDefault("data", "../shared/data/scifact"));
    Path vectorsFile = Path.of(options.get("vectors"));
    Path out = Path.of(options.getOrDefault("out", "docs/benchmarks"));
    boolean keep = Boolean.parseBoolean(options.getOrDefault("keep", "false"));
    List<Integer> sizes = integers(options.getOrDefault("sizes", "10000,100000"));
    List<Integer> efs = integers(options.getOrDefault("ef", "40,100,200"));
    int chromaMax = Integer.parseInt(options.getOrDefault("chroma-max", "100000"));
    Settings settings = Settings.fromEnvironment();
    System.setProperty("java.awt.headless", "true"); // the plot needs no display

    BeirDataset test = BeirDataset.read(data, "test");
    List<String> queryTexts = test.queries().values().stream().limit(QUERIES).toList();
    List<ChunkedCorpus.Piece> chunks;
    List<float[]> vectors;
    List<float[]> queryVectors;
    ChunkingSettings chunking;
    try (EmbeddingModel model = EmbeddingModels.create(EmbeddingModels.DEFAULT_MODEL, 2)) {
      ChunkedCorpus corpus = ChunkedCorpus.of(test, model);
      chunks = corpus.chunks();
      vectors = CorpusVectors.cached(corpus.texts(), model, vectorsFile);
      queryVectors = queryTexts.stream().map(model::embedQuery).toList();
      chunking = ChunkingSettings.forModelLimit(model.info().maxTokens());
    }
    int dimensions = vectors.get(0).length;
    BenchmarkRun run = BenchmarkRun.start("make bench-scale");
    System.out.printf(
        Locale.ROOT,
        "machine: %s; %,d chunks of %,d SciFact documents with %d-d vectors%n",
        machine(run),
        chunks.size(),
        test.documents().size(),
        dimensions);

    List<Row> rows = new ArrayList<>();
    List<Recall> recalls = new ArrayList<>();
    String runId = Long.toString(System.nanoTime() % 1_000_000_000L, 36);
    ContractRegistry registry =
        new ContractRegistry(
            new RegistryClient(settings.get(Settings.REGISTRY_URL)), "benchscale-" + runId);
    Path keywordRoot = Files.createTempDirectory("agent-brain-bench-scale");
    try (PostgresStore postgres = postgres(settings, Settings.EF_SEARCH.byDefault());
        KeywordIndexes lucene = new KeywordIndexes(keywordRoot, Bm25.STANDARD);
        ChromaStore chromaStore =
            new ChromaStore(
                ChromaConfig.of(
                    settings.get(Settings.CHROMA_URL), Settings.EF_SEARCH.byDefault()));
        KeywordBackedRetriever chroma =
            new KeywordBackedRetriever(chromaStore, chromaStore::spec, lucene);
        QueryServer server =
            QueryServer.builder(
                    registry, Map.of(Backend.POSTGRES, postgres, Backend.CHROMA, chroma))
                .start()) {
      QueryApiClient api = new QueryApiClient(server.port());
      for (int size : sizes) {
        String index = "benchscale_" + size;
        int version = registry.register(contract(index, dimensions, chunking)).getVersion();
        String name = ContractRegistry.physicalName(index, version);
        IndexSpec spec = new IndexSpec(name, dimensions, EmbeddingModels.DEFAULT_MODEL, "english");
        boolean withChroma = size <= chromaMax;
        KeywordBackedWriter chromaWriter = new KeywordBackedWriter(chromaStore, lucene);
        postgres.dropIndex(name);
        chromaWriter.dropIndex(name);
        postgres.ensureIndexForBulkLoad(spec);
        if (withChroma) {
          chromaWriter.ensureIndex(spec);
        } else {
          lucene.ensureIndex(spec);
        }
        ExactNeighbours exact = new ExactNeighbours(queryVectors, RECALL_AT);
        long postgresNanos = 0;
        long otherNanos = 0;
        List<ChunkWrite> batch = new ArrayList<>(BATCH);
        for (int n = 0; n < size; n++) {
          ChunkRecord chunk = replica(chunks, vectors, n);
          exact.offer(chunk.chunkId(), chunk.embedding());
          batch.add(new ChunkWrite.Upsert(chunk));
          if (batch.size() == BATCH || n == size - 1) {
            long t0 = System.nanoTime();
            postgres.write(name, batch);
            long t1 = System.nanoTime();
            if (withChroma) {
              chromaWriter.write(name, batch);
            } else {
              lucene.apply(name, batch, Map.of());
            }
            postgresNanos += t1 - t0;
            otherNanos += System.nanoTime() - t1;
            batch.clear();
          }
        }
        lucene.commit();
        // a keyword index answers only once its build is marked complete, as a sink's rebuild does
        lucene.completeBuild(name, Map.of());
        double built =
            postgres.buildVectorIndex(name, buildMemory(size, dimensions), 1).toMillis() / 1000.0;
        System.out.printf(
            Locale.ROOT,
            "%,d chunks: PostgreSQL loaded in %.0f s and its HNSW built (and vacuumed) in %.0f s"
                + " with maintenance_work_mem %s; %s in %.0f s (load average %.2f)%n",
            size,
            postgresNanos / 1e9,
            built,
            buildMemory(size, dimensions),
            withChroma ? "Chroma and its keyword index" : "the keyword index only (no Chroma)",
            otherNanos / 1e9,
            loadAverage());

        List<Tested> backends = new ArrayList<>();
        backends.add(new Tested("PostgreSQL", Backend.POSTGRES, postgres));
        if (withChroma) {
          backends.add(new Tested("Chroma", Backend.CHROMA, chroma));
        } else {
          rows.addAll(
              measure(
                  "store",
                  "Lucene (Chroma backend)",
                  size,
                  "bm25",
                  q ->
                      lucene.search(name, new KeywordQuery(queryTexts.get(q), TOP_K, Filter.ALL))));
        }
        for (Tested backend : backends) {
          for (SearchMode mode : MODES) {
            rows.addAll(
                measure(
                    "store",
                    backend.name(),
                    size,
                    mode.name(),
                    q ->
                        atStore(
                            backend.retriever(),
                            name,
                            mode,
                            queryTexts.get(q),
                            queryVectors.get(q))));
            rows.addAll(
                measure(
                    "API",
                    backend.name(),
                    size,
                    mode.name(),
                    q ->
                        api.search(
                            index, backend.backend().id(), mode.name(), queryTexts.get(q), TOP_K)));
          }
        }
        for (int ef : efs) {
          try (PostgresStore atEf = postgres(settings, ef)) {
            recalls.add(recall("PostgreSQL", size, ef, atEf, name, queryVectors, exact));
          }
        }
        if (withChroma) {
          recalls.add(
              recall(
                  "Chroma",
                  size,
                  Settings.EF_SEARCH.byDefault(),
                  chroma,
                  name,
                  queryVectors,
                  exact));
        }
        if (!keep) {
          postgres.dropIndex(name);
          chromaWriter.dropIndex(name);
          registry.delete(index);
        }
      }
    }
    write(run, out, rows, recalls, chunks.size());
  }

  /**
   * {@code maintenance_work_mem} for building the HNSW index of {@code size} vectors: room for the
   * whole graph (pgvector keeps each vector and its neighbour lists, about twice the vector's bytes
   * at m 16), at least 1 GB; a graph that does not fit is built on disk, many times slower.
   */
  private static String buildMemory(int size, int dimensions) {
    long bytes = 2L * size * dimensions * Float.BYTES;
    return Math.max(1, (bytes + (1 << 30) - 1) >> 30) + "GB";
  }

  private static List<Integer> integers(String commaSeparated) {
    return List.of(commaSeparated.split(",")).stream().map(Integer::parseInt).toList();
  }

  /**
   * The store of the benchmark: a connection for each concurrent client and one more, so that the
   * clients measure searches, not waits for the pool (at 1M chunks, 8 clients on the default 4
   * connections waited past the pool's 10 s and failed).
   */
  private static PostgresStore postgres(Settings settings, int efSearch) {
    return new PostgresStore(
        new PostgresConfig(
            settings.get(Settings.PG_URL),
            settings.get(Settings.PG_USER),
            settings.get(Settings.PG_PASSWORD),
            CLIENTS.getLast() + 1,
            PostgresConfig.DEFAULT_CONNECTION_TIMEOUT,
            efSearch));
  }

  /** The contract the query API serves a size's index by: the default model, as indexed. */
  private static EmbeddingContract contract(
      String index, int dimensions, ChunkingSettings chunking) {
    return EmbeddingContract.newBuilder()
        .setIndex(index)
        .setVersion(0)
        .setProvider("onnx")
        .setModel(EmbeddingModels.DEFAULT_MODEL)
        .setDimensions(dimensions)
        .setMetric(DistanceMetric.COSINE)
        .setNormalized(true)
        .setTextSearchLanguage("english")
        .setChunkMaxTokens(chunking.maxTokens())
        .setChunkOverlapTokens(chunking.overlapTokens())
        .setCreatedAt(Instant.now())
        .build();
  }

  /** A search at the store, as the API makes it: fused modes rank each retriever deep enough. */
  private static List<SearchHit> atStore(
      Retriever store, String name, SearchMode mode, String text, float[] vector) {
    return switch (mode) {
      case SearchMode.Bm25 b ->
          store.keywordSearch(name, new KeywordQuery(text, TOP_K, Filter.ALL));
      case SearchMode.Vector v ->
          store.vectorSearch(name, new VectorQuery(vector, TOP_K, 0, Filter.ALL));
      default -> {
        int depth = Fusion.candidates(mode, TOP_K);
        yield Fusion.fuse(
                mode,
                store.vectorSearch(name, new VectorQuery(vector, depth, 0, Filter.ALL)),
                store.keywordSearch(name, new KeywordQuery(text, depth, Filter.ALL)),
                TOP_K)
            .stream()
            .map(f -> new SearchHit(f.chunk(), f.score()))
            .toList();
      }
    };
  }

  /** Recall@10 of a store's vector search (top 10) against the exact scan, and its p50. */
  private static Recall recall(
      String backend,
      int size,
      int efSearch,
      Retriever store,
      String name,
      List<float[]> queryVectors,
      ExactNeighbours exact) {
    double sum = 0;
    double[] millis = new double[QUERIES];
    for (int q = 0; q < QUERIES; q++) {
      long t0 = System.nanoTime();
      List<SearchHit> hits =
          store.vectorSearch(name, new VectorQuery(queryVectors.get(q), RECALL_AT, 0, Filter.ALL));
      millis[q] = (System.nanoTime() - t0) / 1e6;
      sum += exact.recall(q, hits.stream().map(h -> h.chunk().chunkId()).toList());
    }
    Arrays.sort(millis);
    Recall recall = new Recall(backend, size, efSearch, sum / QUERIES, percentile(millis, 0.5));
    System.out.printf(
        Locale.ROOT,
        "%-10s %,9d HNSW recall@%d at ef_search %d: %.4f (p50 %.1f ms)%n",
        backend,
        size,
        RECALL_AT,
        efSearch,
        recall.recall(),
        recall.p50());
    return recall;
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
    return ChunkRecord.builder()
        .chunkId(copy + "-" + chunk.id())
        .documentId(document)
        .documentVersion(1)
        .position(chunk.position())
        .text(chunk.text())
        .source(document + ".md")
        .sourceType("doc")
        .language("en")
        .headingPath(chunk.headingPath())
        .embedding(vector)
        .build();
  }

  /**
   * Runs every query once as warm-up, then measures at each number of {@link #CLIENTS}: every
   * client runs every query once, each from its own starting query; percentiles in milliseconds.
   */
  private static List<Row> measure(
      String via, String backend, int size, String mode, IntConsumer search)
      throws InterruptedException {
    for (int q = 0; q < QUERIES; q++) {
      search.accept(q);
    }
    List<Row> rows = new ArrayList<>();
    for (int clients : CLIENTS) {
      double[] millis = new double[clients * QUERIES];
      List<Callable<Void>> tasks = new ArrayList<>();
      for (int c = 0; c < clients; c++) {
        int client = c;
        tasks.add(
            () -> {
              for (int i = 0; i < QUERIES; i++) {
                int q = (i + client * QUERIES / clients) % QUERIES;
                long t0 = System.nanoTime();
                search.accept(q);
                millis[client * QUERIES + i] = (System.nanoTime() - t0) / 1e6;
              }
              return null;
            });
      }
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      long started = System.nanoTime();
      try {
        for (Future<Void> done : pool.invokeAll(tasks)) {
          done.get();
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException(
            "a %s search of %s at %d clients failed: %s"
                .formatted(mode, backend, clients, e.getCause()),
            e.getCause());
      } finally {
        pool.shutdownNow();
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      Arrays.sort(millis);
      Row row =
          new Row(
              via,
              backend,
              size,
              mode,
              clients,
              percentile(millis, 0.50),
              percentile(millis, 0.95),
              percentile(millis, 0.99),
              millis.length / seconds,
              loadAverage());
      System.out.printf(
          Locale.ROOT,
          "%-5s %-24s %,9d %-7s %d client(s)  p50 %7.1f ms  p95 %7.1f ms  p99 %7.1f ms  %6.1f/s"
              + "  (load average %.2f)%n",
          via,
          backend,
          size,
          mode,
          clients,
          row.p50(),
          row.p95(),
          row.p99(),
          row.perSecond(),
          row.loadAverage());
      rows.add(row);
    }
    return rows;
  }

  private static double percentile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(sorted.length * p) - 1)];
  }

  /** Cores, memory and load average: the facts every number here depends on. */
  private static String machine(BenchmarkRun run) {
    long memory =
        ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
            .getTotalMemorySize();
    return "%s, %.1f GB memory".formatted(run.machine(), memory / 1e9);
  }

  private static void write(
      BenchmarkRun run, Path out, List<Row> rows, List<Recall> recalls, int chunks) {
    String machine = machine(run);
    StringBuilder markdown =
        new StringBuilder(
            ("# Search latency by index size, at the store and through the query API\n\n"
                    + "Written by `make bench-scale` at %s: %,d SciFact chunks (the indexer's"
                    + " chunker, bge-small vectors of `make eval`) replicated with perturbed"
                    + " vectors; %d test queries, top %d, each run once per client after a"
                    + " warm-up; API rows are `POST /query` to a query server in the same"
                    + " process, query vectors cached by the warm-up. Machine: %s; the load"
                    + " average of each row is next to it. Targets of issue 14 at 100k chunks:"
                    + " PostgreSQL bm25 p99 30 ms, hybrid and rrf p99 50 ms (one client, at the"
                    + " store).\n\n![p99 by index size](scale.png)\n\n")
                .formatted(Instant.now(), chunks, QUERIES, TOP_K, machine));
    markdown.append(
        "| via | backend | chunks | mode | clients | p50 ms | p95 ms | p99 ms | searches/s |"
            + " load average |\n|---|---|---:|---|---:|---:|---:|---:|---:|---:|\n");
    BenchmarkChart chart =
        BenchmarkChart.lines(
                "p99 search latency by index size (%d queries, one client, top %d)"
                    .formatted(QUERIES, TOP_K),
                "chunks",
                "p99 ms")
            .logarithmicX()
            .logarithmicY()
            .reference("target: PostgreSQL bm25 p99 30 ms at 100k (issue 14)", 30)
            .reference("target: PostgreSQL hybrid/rrf p99 50 ms at 100k (issue 14)", 50);
    List<Map<String, Object>> measured = new ArrayList<>();
    for (Row r : rows) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("via", r.via());
      row.put("backend", r.backend());
      row.put("chunks", r.chunks());
      row.put("mode", r.mode());
      row.put("clients", r.clients());
      row.put("p50_ms", r.p50());
      row.put("p95_ms", r.p95());
      row.put("p99_ms", r.p99());
      row.put("searches_per_second", r.perSecond());
      row.put("load_average", r.loadAverage());
      measured.add(row);
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %s | %s | %,d | %s | %d | %.1f | %.1f | %.1f | %.1f | %.1f |%n",
              r.via(),
              r.backend(),
              r.chunks(),
              r.mode(),
              r.clients(),
              r.p50(),
              r.p95(),
              r.p99(),
              r.perSecond(),
              r.loadAverage()));
      if (r.clients() == 1) {
        chart.point(r.backend() + " " + r.mode() + " (" + r.via() + ")", r.chunks(), r.p99());
      }
    }
    markdown.append(
        "\nHNSW recall@%d against an exact scan of the same vectors (top %d, one client):\n\n"
                .formatted(RECALL_AT, RECALL_AT)
            + "| backend | chunks | ef_search | recall@%d | p50 ms |\n|---|---:|---:|---:|---:|\n"
                .formatted(RECALL_AT));
    List<Map<String, Object>> measuredRecall = new ArrayList<>();
    for (Recall r : recalls) {
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("backend", r.backend());
      row.put("chunks", r.chunks());
      row.put("ef_search", r.efSearch());
      row.put("recall_at_10", r.recall());
      row.put("p50_ms", r.p50());
      measuredRecall.add(row);
      markdown.append(
          String.format(
              Locale.ROOT,
              "| %s | %,d | %d | %.4f | %.1f |%n",
              r.backend(),
              r.chunks(),
              r.efSearch(),
              r.recall(),
              r.p50()));
    }
    Map<String, Object> json = run.json(machine);
    json.put("source_chunks", chunks);
    json.put("queries", QUERIES);
    json.put("top_k", TOP_K);
    json.put("rows", measured);
    json.put("hnsw_recall", measuredRecall);
    run.write(out, "scale", json, markdown.toString(), chart, 1000, 600);
  }

  private static double loadAverage() {
    return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
  }
}
