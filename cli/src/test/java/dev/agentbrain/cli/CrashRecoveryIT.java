package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Settings;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.indexer.ModelPool;
import dev.agentbrain.indexer.TokenSplitter;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.testing.PrivateChroma;
import dev.agentbrain.testing.SharedData;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A kill campaign: the real {@code agent-brain indexer} in a child JVM, killed with SIGKILL at
 * random moments of its life (right after start, while it restores the embedding cache, while it
 * embeds, while a sink writes) and started again each time on the same state directory, while
 * documents are published, updated and deleted. Afterwards both backends must hold exactly what a
 * clean run of the same documents holds, and every chunk was committed to the chunks topic once.
 *
 * <p>The killed indexer writes PostgreSQL; Chroma is written from the same chunks topic by an
 * indexer in this JVM started after the campaign. Killing a client in the middle of a Chroma write
 * makes a local Chroma 1.0 server panic ("message reply channel was unexpectedly dropped by
 * caller") and answer every later write with HTTP 500 "Error sending message to compactor" until it
 * is restarted (seen on the shared server during the first run of this campaign), which no client
 * can repair.
 *
 * <p>The seed and every kill are printed; {@code -Dcrash.seed=N} replays a campaign.
 */
class CrashRecoveryIT {

  /** Kill moments, each three times, in an order drawn from the seed. */
  enum Moment {
    RIGHT_AFTER_START,
    DURING_CACHE_RESTORE,
    DURING_EMBEDDING,
    DURING_SINK_WRITE
  }

  /**
   * Cache entries another application left in the shared embedding cache (another model's, so they
   * match no chunk here): 12,000 vectors, 18 MB, more than a RocksDB write buffer, so every restore
   * flushes the store while it is open, the state in which a kill corrupts it (KAFKA-21034).
   */
  private static final int FOREIGN_CACHE_ENTRIES = 12_000;

  private static final String REBUILT = "rebuilding the shared embedding cache";

  // sink members of killed instances hold their partitions until their 45 s sessions expire
  private static final Duration WAIT = Duration.ofMinutes(5);

  @TempDir Path home;
  @TempDir Path cleanState;
  @TempDir Path survivorState;
  @TempDir Path chromaDir;

  private IsolatedPipeline pipeline;
  private IsolatedPipeline cleanPipeline;
  private IndexerService clean;
  private IndexerService survivor;
  private PrivateChroma chroma;
  private Process indexer;
  private int starts;

  @BeforeEach
  void createPipelines() {
    // a Chroma server of its own: a client killed in the middle of a write breaks a local Chroma
    // 1.0 server for good (see the class comment)
    chroma = PrivateChroma.start(chromaDir);
    pipeline =
        IsolatedPipeline.start("crash", 3, Map.of(Settings.CHROMA_URL, chroma.url().toString()));
    cleanPipeline = IsolatedPipeline.start("crashclean", 3);
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (indexer != null) {
      indexer.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    for (IndexerService service : new IndexerService[] {clean, survivor}) {
      if (service != null) {
        service.close();
      }
    }
    for (IsolatedPipeline p : new IsolatedPipeline[] {pipeline, cleanPipeline}) {
      if (p != null) {
        p.close();
      }
    }
    if (chroma != null) {
      chroma.close();
    }
  }

  @Test
  @DisplayName(
      "an indexer killed at twelve random moments, restarted on its state each time, ends exactly"
          + " like a clean run, each chunk committed once")
  void killedAtRandomMomentsEndsLikeACleanRun() throws Exception {
    long seed = Long.getLong("crash.seed", System.nanoTime());
    Random random = new Random(seed);
    System.out.printf("kill campaign seed %d (replay with -Dcrash.seed=%d)%n", seed, seed);
    List<Moment> moments = new ArrayList<>();
    for (Moment moment : Moment.values()) {
      moments.addAll(List.of(moment, moment, moment));
    }
    Collections.shuffle(moments, random);
    List<List<Publication>> plan = plan(random, moments.size());
    fillCacheWithForeignEntries();

    // the reference: the same publications, in the same order, into a pipeline nobody kills
    clean = cleanPipeline.indexer(cleanState, List.of(cleanPipeline.postgresSink()));
    clean.start();
    try (DocumentPublisher publisher = cleanPipeline.publisher()) {
      plan.forEach(step -> step.forEach(p -> p.send(publisher, cleanPipeline)));
    }

    List<String> kills = new ArrayList<>();
    try (DocumentPublisher publisher = pipeline.publisher()) {
      for (int cycle = 0; cycle < moments.size(); cycle++) {
        plan.get(cycle).forEach(p -> p.send(publisher, pipeline));
        Moment moment = moments.get(cycle);
        indexer = startIndexer();
        long waitedMs;
        try {
          waitedMs = reach(moment, random);
        } catch (ConditionTimeoutException e) {
          throw new AssertionError(
              String.format(
                  "start %d never reached %s (seed %d) after %s; the log ends:%n%s",
                  cycle + 1, moment, seed, kills, logTail()),
              e);
        }
        indexer.destroyForcibly().waitFor();
        String kill =
            String.format(
                "kill %d: %s, %d ms after reaching it, %s, chunks in postgres %d",
                cycle + 1,
                moment,
                waitedMs,
                read(log(starts)).contains("indexer started") ? "started" : "still starting",
                pipeline.count(pipeline.postgres));
        kills.add(kill);
        System.out.println(kill);
      }
    }

    indexer = startIndexer();
    survivor = pipeline.indexer(survivorState, List.of(IsolatedPipeline.chromaSink(chroma.url())));
    survivor.start();
    Map<String, ChunkRecord> reference = awaitReference(plan);
    IsolatedPipeline.awaitBackends(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .failFast(this::requireIndexerAlive)
        .untilAsserted(
            () ->
                assertThat(pipeline.counts())
                    .as(() -> "chunks per backend after " + kills + "; the log ends:\n" + logTail())
                    .isEqualTo(new IsolatedPipeline.Counts(reference.size(), reference.size())));
    assertSameChunks(stored(pipeline.postgres, pipeline), reference, "postgres");
    assertSameChunks(stored(pipeline.chroma, pipeline), reference, "chroma");
    assertThat(committedUpserts().values())
        .as("committed chunk events per chunk id and document version")
        .allMatch(count -> count == 1);
    assertThat(countInLogs(REBUILT))
        .as("restarts that found the embedding cache corrupted and rebuilt it (seed %d)", seed)
        .isPositive();
  }

  /** One document event to publish: a new or changed page, or a delete when content is null. */
  private record Publication(String source, String content, long version) {
    void send(DocumentPublisher publisher, IsolatedPipeline target) {
      if (content != null) {
        publisher.publish(target.document(source, content, version)).join();
      } else {
        publisher.delete(target.document(source, "", version).getId()).join();
      }
    }
  }

  /**
   * What is published before each start: small pages of the docs corpus from many folders (half of
   * them named {@code index.md}), most before the first start and the rest a few before every later
   * one, with updates and deletes of early pages among them, so that every life of the indexer has
   * something to embed and write.
   */
  private static List<List<Publication>> plan(Random random, int starts) throws IOException {
    Path corpus = SharedData.docsCorpus().resolve("opensearch-documentation-website");
    List<Path> small;
    try (Stream<Path> files = Files.walk(corpus, 4)) {
      small =
          files
              .filter(f -> f.toString().endsWith(".md") && size(f) < 3_000)
              .sorted()
              .collect(Collectors.toCollection(ArrayList::new));
    }
    Collections.shuffle(small, random);
    // 32 pages, half of them named index.md (in different folders)
    List<Publication> pages = new ArrayList<>();
    for (boolean index : new boolean[] {true, false}) {
      small.stream()
          .filter(f -> f.endsWith("index.md") == index)
          .limit(16)
          .forEach(f -> pages.add(new Publication(corpus.relativize(f).toString(), read(f), 1)));
    }
    Collections.shuffle(pages, random);
    List<List<Publication>> plan = new ArrayList<>();
    int first = pages.size() * 2 / 5;
    plan.add(new ArrayList<>(pages.subList(0, first)));
    for (int start = 1; start < starts; start++) {
      plan.add(new ArrayList<>());
    }
    for (int i = first; i < pages.size(); i++) {
      plan.get(1 + (i - first) % (starts - 1)).add(pages.get(i));
    }
    for (int i = 0; i < 6; i++) {
      Publication page = pages.get(i);
      String revised = page.content() + "\n\n## Revised\n\nThis page was revised.\n";
      plan.get(i < 3 ? 3 : 6).add(new Publication(page.source(), revised, 2));
    }
    for (int i = 6; i < 10; i++) {
      plan.get(i < 8 ? 5 : 9).add(new Publication(pages.get(i).source(), null, 1));
    }
    return plan;
  }

  /**
   * Waits until the running indexer reaches the moment, then a random while; returns that while.
   */
  private long reach(Moment moment, Random random) throws InterruptedException {
    long extra =
        switch (moment) {
          case RIGHT_AFTER_START -> random.nextInt(2_000);
          case DURING_CACHE_RESTORE -> {
            // a store that was closed cleanly has nothing to restore; every stop here is a kill
            awaitLog("restoring the shared embedding cache");
            yield random.nextInt(1_500);
          }
          case DURING_EMBEDDING -> {
            awaitLog("indexer started");
            yield 500 + random.nextInt(4_000);
          }
          case DURING_SINK_WRITE -> {
            // the chunks and their versions, not their number: a start whose pages add as many
            // chunks as its deletes remove writes without changing the count
            Map<String, Long> before = written();
            IsolatedPipeline.awaitBackends(WAIT)
                .pollInterval(Duration.ofMillis(100))
                .failFast(this::requireIndexerAlive)
                .until(() -> !written().equals(before));
            yield random.nextInt(300);
          }
        };
    // the moment itself is random: this is the point of the wait
    Thread.sleep(extra);
    return extra;
  }

  /**
   * The document version of every chunk PostgreSQL holds, by chunk id; none before the first
   * indexer has created the index.
   */
  private Map<String, Long> written() {
    try {
      return stored(pipeline.postgres, pipeline).values().stream()
          .collect(Collectors.toMap(ChunkRecord::chunkId, ChunkRecord::documentVersion));
    } catch (NoSuchIndexException e) {
      return Map.of();
    }
  }

  private void awaitLog(String line) {
    Awaitility.await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(50))
        .failFast(this::requireIndexerAlive)
        .until(() -> read(log(starts)).contains(line));
  }

  /** Fills the embeddings topic with entries of another model, as a long-lived cache holds. */
  private void fillCacheWithForeignEntries() {
    Random random = new Random(1);
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, pipeline.wiring.bootstrap()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (int i = 0; i < FOREIGN_CACHE_ENTRIES; i++) {
        byte[] vector = new byte[384 * Float.BYTES];
        random.nextBytes(vector);
        producer.send(
            new ProducerRecord<>(
                pipeline.wiring.topics().embeddings().name(), "another-model|" + i, vector));
      }
    }
  }

  /** The clean run's chunks, once its sink has written all that the last versions cut into. */
  private Map<String, ChunkRecord> awaitReference(List<List<Publication>> plan) {
    Map<String, Publication> last = new HashMap<>();
    plan.forEach(step -> step.forEach(p -> last.put(p.source(), p)));
    long chunks;
    try (ModelPool models = new ModelPool(1)) {
      TokenSplitter splitter = new TokenSplitter(models);
      chunks =
          last.values().stream()
              .filter(p -> p.content() != null)
              .mapToLong(
                  p ->
                      splitter
                          .split(
                              cleanPipeline.document(p.source(), p.content(), p.version()),
                              cleanPipeline.contract)
                          .size())
              .sum();
    }
    IsolatedPipeline.awaitBackends(WAIT)
        .pollInterval(Duration.ofSeconds(1))
        .until(() -> cleanPipeline.count(cleanPipeline.postgres) == chunks);
    return stored(cleanPipeline.postgres, cleanPipeline);
  }

  /** Every chunk the backend holds for the pipeline's index, by source and position. */
  private static Map<String, ChunkRecord> stored(ChunkScan backend, IsolatedPipeline of) {
    Map<String, ChunkRecord> chunks = new TreeMap<>();
    String cursor = ChunkScan.DocumentPage.FIRST;
    while (true) {
      ChunkScan.DocumentPage page = backend.documents(of.physical, cursor, 500);
      for (ChunkRecord chunk : backend.chunksOf(of.physical, page.documentIds())) {
        chunks.put(chunk.source() + "#" + chunk.position(), chunk);
      }
      if (page.next().isEmpty()) {
        return chunks;
      }
      cursor = page.next().get();
    }
  }

  /**
   * The same chunks as the clean run: same positions, texts and ids, one log version per document
   * (apart from the index name inside the document id), and vectors within a tolerance (a batch of
   * a different size gives slightly different quantized vectors).
   */
  private static void assertSameChunks(
      Map<String, ChunkRecord> actual, Map<String, ChunkRecord> reference, String backend) {
    assertThat(actual.keySet()).as("chunks in %s", backend).isEqualTo(reference.keySet());
    Map<String, Long> versions = new java.util.HashMap<>();
    for (Map.Entry<String, ChunkRecord> entry : reference.entrySet()) {
      ChunkRecord want = entry.getValue();
      ChunkRecord got = actual.get(entry.getKey());
      String what = entry.getKey() + " in " + backend;
      assertThat(got.text()).as("text of %s", what).isEqualTo(want.text());
      // versions are offsets in each run's own documents topic, so the two runs' numbers differ;
      // the text equal to the clean run's shows the latest version is there, and one version per
      // document shows no part of another is mixed in
      assertThat(DocumentVersions.isFromLog(got.documentVersion()))
          .as("version of %s is from the log", what)
          .isTrue();
      assertThat(versions.computeIfAbsent(got.documentId(), d -> got.documentVersion()))
          .as("one version for all chunks of %s", what)
          .isEqualTo(got.documentVersion());
      assertThat(got.chunkId().replace(got.documentId(), "<doc>"))
          .as("id of %s", what)
          .isEqualTo(want.chunkId().replace(want.documentId(), "<doc>"));
      assertThat(Similarity.cosine(got.embedding(), want.embedding()))
          .as("similarity of %s to the clean run's vector", what)
          .isGreaterThan(0.99);
    }
  }

  /**
   * Upserts per chunk id and document version in the chunks topic (committed transactions only).
   */
  private Map<String, Long> committedUpserts() {
    Map<String, Long> counts = new HashMap<>();
    for (EmbeddedChunk chunk :
        TopicContents.read(
            pipeline.wiring.bootstrap(), pipeline.wiring.topics().chunks(), TopicContents.ALL)) {
      if (chunk.getOperation() == ChunkOperation.UPSERT) {
        counts.merge(chunk.getChunkId() + "@" + chunk.getDocumentVersion(), 1L, Long::sum);
      }
    }
    return counts;
  }

  /** {@code agent-brain indexer} in a child JVM with this pipeline's settings and {@link #home}. */
  private Process startIndexer() throws IOException {
    starts++;
    ProcessBuilder builder = pipeline.agentBrain("indexer");
    builder.environment().put(Settings.HOME.env(), home.toString());
    builder.environment().put(Settings.EMBEDDING_THREADS.env(), "2");
    builder.environment().put(Settings.SINKS.env(), "postgres");
    // another indexer (make run) may hold the default metrics port
    builder.environment().put(Settings.INDEXER_METRICS_PORT.env(), "0");
    builder.redirectErrorStream(true);
    builder.redirectOutput(log(starts).toFile());
    return builder.start();
  }

  private Path log(int start) {
    return home.resolve("indexer-" + start + ".log");
  }

  private void requireIndexerAlive() {
    assertThat(indexer.isAlive())
        .as("the indexer is running; its log ends:%n%s", logTail())
        .isTrue();
  }

  private long countInLogs(String text) {
    long count = 0;
    for (int start = 1; start <= starts; start++) {
      count += read(log(start)).lines().filter(line -> line.contains(text)).count();
    }
    return count;
  }

  private String logTail() {
    List<String> lines = read(log(starts)).lines().toList();
    return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
