package dev.agentbrain.bench.indexing;

import dev.agentbrain.charts.BenchmarkChart;
import dev.agentbrain.charts.BenchmarkRun;
import dev.agentbrain.cli.AgentBrain;
import dev.agentbrain.cli.TopicContents;
import dev.agentbrain.cli.Wiring;
import dev.agentbrain.config.Settings;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.indexer.BatchSettings;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentLimits;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FilePreset;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.publish.PublishProgress;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.PublishedDocuments;
import dev.agentbrain.publish.SourceScanner;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.chroma.ChromaStore;
import dev.agentbrain.storage.postgres.PostgresStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.KafkaStreams;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Indexing throughput, end to end, on the services {@code make up} starts ({@code make bench}).
 *
 * <p>Publishes the documents of a folder (read in place) to a fresh topic prefix and index, runs
 * one indexer in this process with the settings of {@code agent-brain indexer}, and times from the
 * first publish until every chunk is searchable in both backends. Then, with the indexer stopped,
 * it embeds an evenly spaced sample of the same chunk texts with the model alone (same threads,
 * same batch size) and states how much longer the pipeline took than embedding alone would. The
 * index, its topics and consumer groups are removed at the end.
 *
 * <pre>
 * IndexingBenchmark --corpus DIR [--limit N] [--model NAME] [--sample N]
 * </pre>
 *
 * <p>The machine's load average is printed at the start and the end: the model takes every core, so
 * anything else running shows in the numbers. To profile a run: {@code make bench
 * BENCH_JAVA_OPTS="-XX:StartFlightRecording=filename=bench.jfr,settings=profile"}, then {@code jfr
 * view hot-methods bench.jfr}.
 */
@Command(
    name = "IndexingBenchmark",
    mixinStandardHelpOptions = true,
    description =
        "Indexing throughput, publish to searchable in both backends, beside the model alone.")
public final class IndexingBenchmark implements Callable<Integer> {

  @Option(names = "--corpus", required = true, description = "folder of documents, read in place")
  Path corpus;

  @Option(names = "--limit", description = "only the first N documents by path (0: all)")
  int limit;

  @Option(names = "--model", description = "embedding model (default: AGENT_BRAIN_EMBEDDING_MODEL)")
  String model;

  @Option(names = "--sample", description = "chunk texts embedded by the model alone (default 600)")
  int sampleSize = 600;

  @Option(
      names = "--out",
      description = "folder for indexing.json, .md and .png (default docs/benchmarks)")
  Path out = Path.of("docs/benchmarks");

  private static final Duration POLL = Duration.ofMillis(250);
  // long enough for a pending batch to be flushed (its wait is 300 ms) and committed; at least
  // 1.5 times the longest pause between emitted batches (see awaitSearchable)
  private static final Duration SETTLED = Duration.ofSeconds(2);

  public static void main(String[] args) {
    System.exit(new CommandLine(new IndexingBenchmark()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    try (BenchIndex bench = BenchIndex.create("bench", model);
        PostgresStore postgres = bench.wiring().postgres(2);
        ChromaStore chroma = bench.wiring().chroma()) {
      Wiring wiring = bench.wiring();
      String model = bench.model(); // the option's value, or the configured default
      int threads = wiring.settings().get(Settings.EMBEDDING_THREADS);
      BatchSettings batches = wiring.batches();
      String index = bench.index();
      String physical = bench.physical();
      Path state = bench.state();
      SourceScanner.Options scan = scanOptions(corpus, limit);
      BenchmarkRun run = BenchmarkRun.start("make bench");
      System.out.printf(
          "%d cores, load %s, java %s; model %s, %d embedding threads, batches of %d chunks /"
              + " %d tokens / %d ms%n",
          Runtime.getRuntime().availableProcessors(),
          run.loadAtStart(),
          Runtime.version(),
          model,
          threads,
          batches.maxChunks(),
          batches.maxTokens(),
          batches.maxWait().toMillis());
      Pipeline result = runPipeline(wiring, state, threads, batches, corpus, index, scan, physical);
      System.out.printf(
          "pipeline: %d documents (%.1f MB) published in %.1f s; %d chunks searchable in both"
              + " backends %.1f s after the first publish: %.1f chunks/s, %.2f documents/s"
              + " (%d texts embedded, %d from the cache)%n",
          result.documents(),
          result.bytes() / 1e6,
          result.publishSeconds(),
          result.chunks(),
          result.seconds(),
          result.chunks() / result.seconds(),
          result.documents() / result.seconds(),
          result.textsEmbedded(),
          result.cacheHits());
      List<String> texts =
          TopicContents.read(wiring.bootstrap(), wiring.topics().chunks(), TopicContents.ALL)
              .stream()
              .filter(chunk -> chunk.getOperation() == ChunkOperation.UPSERT)
              .map(EmbeddedChunk::getText)
              .toList();
      if (texts.size() != result.chunks()) {
        throw new IllegalStateException(
            "the chunks topic holds "
                + texts.size()
                + " chunks, the backends "
                + result.chunks()
                + ": the run is not comparable");
      }
      double raw = rawTextsPerSecond(model, threads, batches.maxChunks(), texts, sampleSize);
      double alone = result.chunks() / raw;
      System.out.printf(
          "model alone: %.1f texts/s on %d of the same chunk texts; all %d chunks would take"
              + " %.1f s%n",
          raw, Math.min(sampleSize, texts.size()), texts.size(), alone);
      System.out.printf(
          "overhead: the pipeline took %.0f%% longer than embedding alone (it ran at %.0f%% of"
              + " the model's rate); load at the end %s%n",
          100 * (result.seconds() / alone - 1),
          100 * alone / result.seconds(),
          BenchmarkRun.loadAverage());
      write(run, result, raw, Math.min(sampleSize, texts.size()), model, threads, batches);
    }
    return AgentBrain.OK;
  }

  /** indexing.json, .md and .png under {@link #out}: the pipeline's rate beside the model's. */
  private void write(
      BenchmarkRun run,
      Pipeline result,
      double modelAlone,
      int sampled,
      String model,
      int threads,
      BatchSettings batches) {
    double chunksPerSecond = result.chunks() / result.seconds();
    String machine = run.machine();
    Map<String, Object> json = run.json(machine);
    json.put("corpus", corpus.toString());
    json.put("model", model);
    json.put("embedding_threads", threads);
    json.put("batch_max_chunks", batches.maxChunks());
    json.put("documents", result.documents());
    json.put("bytes", result.bytes());
    json.put("chunks", result.chunks());
    json.put("publish_s", result.publishSeconds());
    json.put("searchable_in_both_backends_s", result.seconds());
    json.put("pipeline_chunks_per_s", chunksPerSecond);
    json.put("pipeline_documents_per_s", result.documents() / result.seconds());
    json.put("model_alone_texts_per_s", modelAlone);
    json.put("model_alone_sample", sampled);
    json.put("texts_embedded", result.textsEmbedded());
    json.put("embedding_cache_hits", result.cacheHits());
    String markdown =
        String.format(
            Locale.ROOT,
            """
            # Indexing throughput, end to end

            Written by `make bench` at %s: %d documents (%.1f MB) of `%s`, %d chunks, %s on %d \
            threads, batches of %d chunks; timed from the first publish until every chunk is \
            searchable in both backends, then %d of the same chunk texts through the model alone. \
            Machine: %s.

            ![chunks per second](indexing.png)

            | | chunks/s | documents/s | seconds |
            |---|---:|---:|---:|
            | pipeline: publish, chunk, embed, PostgreSQL and Chroma | %.1f | %.2f | %.1f |
            | the embedding model alone on the same texts | %.1f | | %.1f |

            The pipeline ran at %.0f%% of the model's rate.
            """,
            Instant.now(),
            result.documents(),
            result.bytes() / 1e6,
            corpus,
            result.chunks(),
            model,
            threads,
            batches.maxChunks(),
            sampled,
            machine,
            chunksPerSecond,
            result.documents() / result.seconds(),
            result.seconds(),
            modelAlone,
            result.chunks() / modelAlone,
            100 * chunksPerSecond / modelAlone);
    BenchmarkChart chart =
        BenchmarkChart.bars(
                "Indexing %d chunks: the pipeline beside the embedding model alone"
                    .formatted(result.chunks()),
                null,
                "chunks per second")
            .bar("chunks/s", "pipeline, publish to searchable", chunksPerSecond)
            .bar("chunks/s", "embedding model alone, same texts", modelAlone);
    run.write(out, "indexing", json, markdown, chart, 900, 550);
  }

  /**
   * What one pipeline run measured.
   *
   * @param seconds from the first publish until both backends held every chunk
   */
  private record Pipeline(
      int documents,
      long bytes,
      double publishSeconds,
      long chunks,
      double seconds,
      long textsEmbedded,
      long cacheHits) {}

  private static Pipeline runPipeline(
      Wiring wiring,
      Path state,
      int threads,
      BatchSettings batches,
      Path corpus,
      String index,
      SourceScanner.Options scan,
      String physical)
      throws Exception {
    try (IndexerService indexer = indexer(wiring, state, threads, batches);
        DocumentPublisher publisher =
            DocumentPublisher.connect(wiring.bootstrap(), wiring.topics());
        Admin admin = wiring.admin();
        PostgresStore postgres = wiring.postgres(1);
        ChromaStore chroma = wiring.chroma()) {
      startAndAwaitRunning(indexer);
      long started = System.nanoTime();
      PublishSummary summary =
          new FolderPublisher(publisher, "bench")
              .publish(
                  corpus,
                  index,
                  new FolderPublisher.Options(scan, false, false),
                  PublishProgress.NONE,
                  PublishedDocuments.none());
      double publishSeconds = (System.nanoTime() - started) / 1e9;
      if (!summary.failed().isEmpty()) {
        System.out.printf("%d files failed to publish%n", summary.failed().size());
      }
      long settledSince =
          awaitSearchable(indexer, admin, wiring, postgres, chroma, physical, started);
      return new Pipeline(
          summary.published(),
          summary.bytesRead(),
          publishSeconds,
          (long) indexer.metrics().chunksEmitted(),
          (settledSince - started) / 1e9,
          (long) indexer.metrics().textsEmbedded(),
          (long) indexer.metrics().cacheHits());
    }
  }

  /**
   * An indexer in this process writing to both backends, with {@code agent-brain indexer}'s
   * settings.
   */
  static IndexerService indexer(Wiring wiring, Path state, int threads, BatchSettings batches) {
    return IndexerService.create(
        new IndexerService.Options(
            wiring.bootstrap(), state, threads, batches, DocumentLimits.MAX_CONTENT_BYTES),
        wiring.topics(),
        wiring.contracts(),
        List.of(
            new IndexerService.Sink(Stage.SINK_POSTGRES, wiring.postgres(4)),
            new IndexerService.Sink(Stage.SINK_CHROMA, wiring.chroma())),
        new SimpleMeterRegistry());
  }

  static void startAndAwaitRunning(IndexerService indexer) throws InterruptedException {
    indexer.start();
    while (indexer.state() != KafkaStreams.State.RUNNING) {
      Thread.sleep(POLL.toMillis());
    }
  }

  /**
   * Waits until every published document is consumed and both backends hold every chunk the indexer
   * emitted, for {@link #SETTLED} in a row; returns when (System.nanoTime) that began.
   */
  static long awaitSearchable(
      IndexerService indexer,
      Admin admin,
      Wiring wiring,
      PostgresStore postgres,
      ChromaStore chroma,
      String physical,
      long started)
      throws Exception {
    long settledSince = 0;
    long lastReport = System.nanoTime();
    long lastEmitted = 0;
    long lastChange = started;
    long longestGap = 0;
    while (true) {
      long now = System.nanoTime();
      long emitted = (long) indexer.metrics().chunksEmitted();
      if (emitted != lastEmitted) {
        longestGap = Math.max(longestGap, now - lastChange);
        lastEmitted = emitted;
        lastChange = now;
      }
      long inPostgres = postgres.count(physical, Filter.ALL);
      long inChroma = chroma.count(physical, Filter.ALL);
      boolean done =
          emitted > 0
              && inPostgres == emitted
              && inChroma == emitted
              && documentsConsumed(admin, wiring);
      if (!done) {
        settledSince = 0;
      } else if (settledSince == 0) {
        settledSince = now;
      } else if (now - settledSince >= Math.max(SETTLED.toNanos(), longestGap * 3 / 2)) {
        // a batch being embedded emits nothing until it is done: on a loaded machine that takes
        // longer than SETTLED, so wait out the longest pause seen between emitted batches too
        return settledSince;
      }
      if (now - lastReport > Duration.ofSeconds(30).toNanos()) {
        System.out.printf(
            "  %.0f s: %d chunks embedded, %d in PostgreSQL, %d in Chroma%n",
            (now - started) / 1e9, emitted, inPostgres, inChroma);
        lastReport = now;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  /** The corpus's documents, or only its first {@code limit} (by path) when limit is positive. */
  static SourceScanner.Options scanOptions(Path corpus, int limit) {
    return scanOptions(corpus, 0, limit);
  }

  /**
   * The corpus's documents (by path) after the first {@code skip}, at most {@code limit} of them
   * when limit is positive.
   */
  static SourceScanner.Options scanOptions(Path corpus, int skip, int limit) {
    SourceScanner.Options all = new SourceScanner.Options(FilePreset.DOCS, List.of(), List.of());
    if (limit <= 0 && skip <= 0) {
      return all;
    }
    // exact paths as include globs: the publisher takes these files and no others
    List<String> first =
        SourceScanner.scan(corpus, all).files().stream()
            .skip(skip)
            .limit(limit <= 0 ? Long.MAX_VALUE : limit)
            .map(file -> file.source().replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1"))
            .toList();
    if (first.isEmpty()) { // no include globs would mean every file
      throw new IllegalArgumentException("the corpus has no documents after the first " + skip);
    }
    return new SourceScanner.Options(FilePreset.DOCS, first, List.of());
  }

  /** True when the indexer has committed its position at the end of every documents partition. */
  private static boolean documentsConsumed(Admin admin, Wiring wiring)
      throws InterruptedException, ExecutionException {
    String topic = wiring.topics().documents().name();
    Map<TopicPartition, OffsetAndMetadata> committed =
        admin
            .listConsumerGroupOffsets(wiring.topics().prefix() + "-indexer")
            .partitionsToOffsetAndMetadata()
            .get();
    Map<TopicPartition, OffsetSpec> latest =
        admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().stream()
            .collect(
                Collectors.toMap(
                    p -> new TopicPartition(topic, p.partition()), p -> OffsetSpec.latest()));
    return admin.listOffsets(latest).all().get().entrySet().stream()
        .allMatch(
            end ->
                end.getValue().offset() == 0
                    || (committed.get(end.getKey()) != null
                        && committed.get(end.getKey()).offset() >= end.getValue().offset()));
  }

  /**
   * Texts per second of the model alone on an evenly spaced sample of the texts, in batches of the
   * indexer's size, after one warm-up batch.
   */
  private static double rawTextsPerSecond(
      String model, int threads, int batch, List<String> texts, int sampleSize) {
    int size = Math.min(sampleSize, texts.size());
    List<String> sample = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      sample.add(texts.get((int) ((long) i * texts.size() / size)));
    }
    try (EmbeddingModel embedding = EmbeddingModels.create(model, threads)) {
      embedding.embedPassages(sample.subList(0, Math.min(batch, size)));
      long started = System.nanoTime();
      for (int from = 0; from < size; from += batch) {
        embedding.embedPassages(sample.subList(from, Math.min(from + batch, size)));
      }
      return size / ((System.nanoTime() - started) / 1e9);
    }
  }

  /**
   * Deletes the run's topics (Streams' changelogs included) and the sinks' consumer groups. The
   * Streams group is left to expire: Streams does not leave its group on close.
   */
  static void removeKafkaState(Wiring wiring) throws InterruptedException, ExecutionException {
    String prefix = wiring.topics().prefix();
    try (Admin admin = wiring.admin()) {
      List<String> topics =
          admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList();
      admin.deleteTopics(topics).all().get();
      admin
          .deleteConsumerGroups(
              List.of(
                  prefix + "-" + Stage.SINK_POSTGRES.id(), prefix + "-" + Stage.SINK_CHROMA.id()))
          .all()
          .get();
    }
  }

  static void deleteRecursively(Path root) throws IOException {
    try (var paths = Files.walk(root)) {
      for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
