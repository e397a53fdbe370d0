package dev.agentbrain.bench.indexing;

import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.cli.AgentBrain;
import dev.agentbrain.cli.ServeCommand;
import dev.agentbrain.cli.Wiring;
import dev.agentbrain.config.Settings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.publish.PublishProgress;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.PublishedDocuments;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.QueryLoad;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The query API under load while the index grows ({@code make bench-query}).
 *
 * <p>Publishes the first {@code --seed} documents of a folder to a fresh topic prefix and index and
 * waits until both backends hold them; then starts the query API (in this process, with the
 * settings of {@code agent-brain serve}) and, at the same moment, publishes the next {@code
 * --background} documents, so that the indexer embeds and both sinks write while {@code --clients}
 * clients search for {@code --duration} seconds (see {@link QueryLoad}). Prints the status counts,
 * p50/p90/p99 latencies and the machine's load; exits 1 when any answer was a 5xx other than 503 or
 * a request got no answer at all. Everything it created is removed at the end.
 */
@Command(
    name = "QueryLoadBenchmark",
    mixinStandardHelpOptions = true,
    description = "Concurrent searches against the query API while indexing runs.")
public final class QueryLoadBenchmark implements Callable<Integer> {

  @Option(names = "--corpus", required = true, description = "folder of documents, read in place")
  Path corpus;

  @Option(names = "--seed", description = "documents indexed before the load starts (default 150)")
  int seed = 150;

  @Option(
      names = "--background",
      description = "documents published while the load runs (default 300)")
  int background = 300;

  @Option(names = "--clients", description = "concurrent clients (default 100)")
  int clients = 100;

  @Option(names = "--duration", description = "seconds of load (default 60)")
  int duration = 60;

  @Option(names = "--model", description = "embedding model (default: AGENT_BRAIN_EMBEDDING_MODEL)")
  String model;

  @Option(
      names = "--out",
      description = "folder for query-load.json, .md and .png (default docs/benchmarks)")
  Path out = Path.of("docs/benchmarks");

  private final BenchmarkRun run = BenchmarkRun.start("make bench-query");

  public static void main(String[] args) {
    System.exit(new CommandLine(new QueryLoadBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    QueryLoad.Report report;
    try (BenchIndex bench = BenchIndex.create("benchq", model)) {
      report = load(bench);
    }
    System.out.println(report.summary());
    boolean clean = report.unexpectedServerErrors() == 0 && report.unanswered().isEmpty();
    write(report, clean);
    System.out.println(
        clean
            ? "no 5xx other than deliberate 503s, every request answered"
            : "FAILED: 5xx other than 503, or requests without an answer");
    return clean ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
  }

  private QueryLoad.Report load(BenchIndex bench) throws Exception {
    Wiring wiring = bench.wiring();
    Settings settings = wiring.settings();
    String index = bench.index();
    String physical = bench.physical();
    System.out.printf(
        "%d cores, load %s, java %s; model %s; %d clients for %d s; API: %d searches in flight at"
            + " most, %d PostgreSQL connections%n",
        Runtime.getRuntime().availableProcessors(),
        run.loadAtStart(),
        Runtime.version(),
        bench.model(),
        clients,
        duration,
        settings.get(Settings.API_MAX_IN_FLIGHT),
        settings.get(Settings.PG_READ_POOL_SIZE));
    try (IndexerService indexer =
            IndexingBenchmark.indexer(
                wiring, bench.state(), settings.get(Settings.EMBEDDING_THREADS), wiring.batches());
        DocumentPublisher publisher =
            DocumentPublisher.connect(wiring.bootstrap(), wiring.topics());
        Admin admin = wiring.admin();
        PostgresStore postgres = wiring.postgres(1);
        ChromaStore chroma = wiring.chroma()) {
      IndexingBenchmark.startAndAwaitRunning(indexer);
      long started = System.nanoTime();
      PublishSummary seeded = publish(publisher, index, 0, seed);
      IndexingBenchmark.awaitSearchable(
          indexer, admin, wiring, postgres, chroma, physical, started);
      long before = postgres.count(physical, Filter.ALL);
      System.out.printf(
          "seed: %d documents, %d chunks searchable in %.0f s; load %s%n",
          seeded.published(),
          before,
          (System.nanoTime() - started) / 1e9,
          BenchmarkRun.loadAverage());
      try (QueryServer server = server(wiring)) {
        CompletableFuture<PublishSummary> growing =
            CompletableFuture.supplyAsync(() -> publish(publisher, index, seed, background));
        QueryLoad.Report report =
            new QueryLoad(
                    "http://127.0.0.1:" + server.port(), index, settings.get(Settings.API_TOKEN))
                .run(clients, Integer.MAX_VALUE, Duration.ofSeconds(duration));
        long after = postgres.count(physical, Filter.ALL);
        System.out.printf(
            "during the load: %d more documents published, %d chunks became searchable"
                + " (the index grew under the load: %s); load at the end %s%n",
            growing.join().published(),
            after - before,
            after > before ? "yes" : "NO",
            BenchmarkRun.loadAverage());
        return report;
      }
    }
  }

  /** query-load.json, .md and .png under {@link #out}: statuses and latency percentiles. */
  private void write(QueryLoad.Report report, boolean clean) {
    String machine = run.machine();
    double[] percentiles = {50, 90, 99, 100};
    Map<String, Object> json = run.json(machine);
    json.put("clients", clients);
    json.put("duration_s", report.seconds());
    json.put("seed_documents", seed);
    json.put("background_documents", background);
    json.put("requests", report.requests());
    json.put("statuses", report.statuses());
    json.put("unanswered", report.unanswered());
    json.put("clean", clean);
    StringBuilder table =
        new StringBuilder(
            "| answers | p50 ms | p90 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|\n");
    BenchmarkChart chart =
        BenchmarkChart.bars(
            "Query API, %d clients for %.0f s while indexing: latency"
                .formatted(clients, report.seconds()),
            null,
            "ms");
    for (Map.Entry<String, List<Double>> answers :
        List.of(
            Map.entry("200 answers", report.okMillis()),
            Map.entry("every answer", report.allMillis()))) {
      Map<String, Double> millis = new LinkedHashMap<>();
      table.append("| ").append(answers.getKey());
      for (double p : percentiles) {
        String name = p == 100 ? "max" : "p%.0f".formatted(p);
        double value = QueryLoad.Report.percentile(answers.getValue(), p);
        millis.put(name, value);
        table.append(String.format(Locale.ROOT, " | %.1f", value));
        chart.bar(answers.getKey(), name, value);
      }
      table.append(" |\n");
      json.put(answers.getKey().replace(' ', '_') + "_ms", millis);
    }
    String markdown =
        String.format(
            Locale.ROOT,
            """
            # The query API under load while the index grows

            Written by `make bench-query` at %s: %d documents of `%s` indexed first, then %d more \
            published while %d clients searched for %d s (through HTTP, in one process with the \
            indexer). %d requests (%.1f/s), statuses %s, unanswered %s: %s. Machine: %s.

            ![latency percentiles](query-load.png)

            %s""",
            Instant.now(),
            seed,
            corpus,
            background,
            clients,
            duration,
            report.requests(),
            report.requests() / report.seconds(),
            report.statuses(),
            report.unanswered(),
            clean ? "no 5xx other than deliberate 503s" : "FAILED: 5xx other than 503 or no answer",
            machine,
            table);
    run.write(out, "query-load", json, markdown, chart, 900, 550);
  }

  private PublishSummary publish(DocumentPublisher publisher, String index, int skip, int limit) {
    return new FolderPublisher(publisher, "bench")
        .publish(
            corpus,
            index,
            new FolderPublisher.Options(
                IndexingBenchmark.scanOptions(corpus, skip, limit), false, false),
            PublishProgress.NONE,
            PublishedDocuments.none());
  }

  /** The query API as {@code agent-brain serve} builds it, on a free port. */
  private static QueryServer server(Wiring wiring) {
    return ServeCommand.configure(
            QueryServer.builder(wiring.contracts(), ServeCommand.retrievers(wiring)), wiring)
        .listen("127.0.0.1", 0)
        .start();
  }
}
