package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.config.Settings;
import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkScanContract;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.PathGlob;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StoreContract;
import dev.agentbrain.storage.UnsupportedSearchException;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.keyword.KeywordBackedRetriever;
import dev.agentbrain.storage.keyword.KeywordBackedWriter;
import dev.agentbrain.storage.keyword.KeywordIndexes;
import dev.agentbrain.testing.LocalServices;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChromaStoreIT implements StoreContract, ChunkScanContract {

  private static URI server;
  private static ChromaStore store;
  private static ChromaClient client;
  private static KeywordIndexes keywords;
  private static ChunkWriter writer;
  private static Retriever retriever;

  @BeforeAll
  static void connect(@TempDir Path keywordRoot) {
    server = LocalServices.requireChroma();
    keywords = new KeywordIndexes(keywordRoot, Bm25.STANDARD);
    store = new ChromaStore(ChromaConfig.of(server));
    client = new ChromaClient(ChromaConfig.of(server));
    writer = new KeywordBackedWriter(store, keywords);
    retriever = new KeywordBackedRetriever(store, store::spec, keywords);
  }

  @AfterAll
  static void disconnect() {
    if (store != null) { // null when Chroma was not reachable
      store.close();
      client.close();
      keywords.close();
    }
  }

  @Override
  public ChunkWriter writer() {
    return writer;
  }

  @Override
  public Retriever retriever() {
    return retriever;
  }

  @Override
  public ChunkScan scan() {
    return store;
  }

  @Test
  @DisplayName("a write larger than a batch is split, and every chunk arrives")
  void largeWriteIsSplitIntoBatches() {
    IndexSpec spec = scratch("large");
    try {
      store.ensureIndex(spec);
      List<ChunkWrite> writes =
          IntStream.range(0, 2 * ChromaStore.MAX_BATCH + 500)
              .<ChunkWrite>mapToObj(i -> new ChunkWrite.Upsert(chunk("d" + (i / 10), i)))
              .toList();

      store.write(spec.physicalName(), writes);

      assertThat(store.count(spec.physicalName(), Filter.ALL)).isEqualTo(writes.size());
      assertThat(store.count(spec.physicalName(), Filter.eq(new Filter.Field.DocumentId(), "d7")))
          .isEqualTo(10);
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName(
      "readers never see a mix or a part of a version while a writer replaces a document in parts,"
          + " version after version")
  void readersSeeWholeVersionsDuringReplacements() throws InterruptedException {
    IndexSpec spec = scratch("whole");
    int chunks = 60;
    int versions = 40;
    try {
      store.ensureIndex(spec);
      store.write(spec.physicalName(), version("big", 1, chunks, 0, chunks));
      List<String> problems = new java.util.concurrent.CopyOnWriteArrayList<>();
      java.util.Set<Long> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
      java.util.concurrent.atomic.AtomicBoolean writing =
          new java.util.concurrent.atomic.AtomicBoolean(true);
      VectorQuery query =
          new VectorQuery(
              chunk("big", 0).embedding(),
              100,
              0.0,
              Filter.eq(new Filter.Field.DocumentId(), "big"));
      List<Thread> readers = new ArrayList<>();
      for (int r = 0; r < 3; r++) {
        readers.add(
            Thread.ofPlatform()
                .start(
                    () -> {
                      while (writing.get()) {
                        List<ChunkRecord> all = store.chunksOf(spec.physicalName(), List.of("big"));
                        java.util.Set<Long> of =
                            all.stream()
                                .map(ChunkRecord::documentVersion)
                                .collect(java.util.stream.Collectors.toSet());
                        if (of.size() != 1 || all.size() != chunks) {
                          problems.add("chunksOf: " + all.size() + " chunks of versions " + of);
                        } else {
                          seen.addAll(of);
                        }
                        List<SearchHit> hits = store.vectorSearch(spec.physicalName(), query);
                        java.util.Set<Long> found =
                            hits.stream()
                                .map(h -> h.chunk().documentVersion())
                                .collect(java.util.stream.Collectors.toSet());
                        // approximate: some of the version's chunks may be missed, none mixed
                        if (found.size() != 1) {
                          problems.add("search: " + hits.size() + " hits of versions " + found);
                        }
                      }
                    }));
      }
      try {
        for (long v = 2; v <= versions; v++) {
          // in parts, as a sink writes a large document over several poll batches
          store.write(spec.physicalName(), version("big", v, chunks, 0, 25));
          store.write(spec.physicalName(), version("big", v, chunks, 25, chunks));
        }
      } finally {
        writing.set(false);
        for (Thread reader : readers) {
          reader.join();
        }
      }

      assertThat(problems).as("reads that saw a mix or a part of a version").isEmpty();
      assertThat(seen).as("versions seen whole").hasSizeGreaterThan(2);
      assertThat(store.chunksOf(spec.physicalName(), List.of("big")))
          .hasSize(chunks)
          .allMatch(c -> c.documentVersion() == versions);
      assertThat(store.count(spec.physicalName(), Filter.ALL)).isEqualTo(chunks);
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  /** The chunks {@code from} to {@code to} of a version of {@code chunks} chunks of a document. */
  private static List<ChunkWrite> version(
      String document, long version, int chunks, int from, int to) {
    return IntStream.range(from, to)
        .<ChunkWrite>mapToObj(
            i ->
                new ChunkWrite.Upsert(
                    chunk(document, version, i, "version " + version + " text " + i), chunks))
        .toList();
  }

  @Test
  @DisplayName(
      "a glob that keeps too few of the nearest records one query may return is scored over all it"
          + " keeps, best first")
  void selectiveGlobBeyondOneQueryIsScoredHere() {
    IndexSpec spec = scratch("selective");
    // one query may return 8 records here, as 30,000 on a real server
    try (ChromaStore capped = new ChromaStore(ChromaConfig.of(server), 8)) {
      capped.ensureIndex(spec);
      List<ChunkWrite> writes = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        // the query points along axis 0; the rare chunks are the farthest from it
        String source = i >= 37 ? "rare/" + i + ".md" : "bulk/" + i + ".md";
        float[] vector = new float[DIMENSIONS];
        vector[0] = 40 - i;
        vector[1] = i;
        writes.add(
            new ChunkWrite.Upsert(
                ChunkRecord.builder()
                    .chunkId("d" + i + "#0")
                    .documentId("d" + i)
                    .documentVersion(1)
                    .position(0)
                    .text("text " + i)
                    .source(source)
                    .sourceType("doc")
                    .embedding(vector)
                    .build()));
      }
      capped.write(spec.physicalName(), writes);
      float[] query = new float[DIMENSIONS];
      query[0] = 1;
      Filter rare = new Filter.SourceGlob(new PathGlob("rare/**"));

      List<SearchHit> hits =
          capped.vectorSearch(spec.physicalName(), new VectorQuery(query, 2, 0.0, rare));

      assertThat(hits).extracting(hit -> hit.chunk().chunkId()).containsExactly("d37#0", "d38#0");
      assertThat(hits.getFirst().score()).isCloseTo(3.0 / Math.sqrt(3 * 3 + 37 * 37), within(1e-6));
      assertThat(hits.getFirst().chunk().source()).isEqualTo("rare/37.md");
      assertThat(hits.getFirst().chunk().text()).isEqualTo("text 37");
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName(
      "Chroma alone refuses keyword search and says so; with a keyword index, an index Chroma does"
          + " not hold is missing for keyword search too")
  void keywordSearchIsNotChromas() {
    IndexSpec spec = scratch("nokeywords");
    try {
      store.ensureIndex(spec);
      KeywordQuery query = new KeywordQuery("text", 3, Filter.ALL);

      assertThatThrownBy(() -> store.keywordSearch(spec.physicalName(), query))
          .isExactlyInstanceOf(UnsupportedSearchException.class)
          .hasMessageContaining("use mode=vector, or backend=postgres");
      assertThat(store.keywordReadiness().ready()).isFalse();
      assertThat(store.keywordReadiness().detail()).contains("keyword search is off");
      assertThatThrownBy(() -> retriever.keywordSearch(scratch("absent").physicalName(), query))
          .isInstanceOf(NoSuchIndexException.class)
          .hasMessageContaining("does not exist in Chroma");
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName("an index dropped and rebuilt by another process is found again")
  void rebuiltCollectionIsFoundAgain() {
    IndexSpec spec = scratch("rebuilt");
    try (ChromaStore other = new ChromaStore(ChromaConfig.of(server))) {
      store.ensureIndex(spec);
      other.dropIndex(spec.physicalName());
      other.ensureIndex(spec);

      store.write(spec.physicalName(), List.of(new ChunkWrite.Upsert(chunk("d1", 0))));

      assertThat(other.count(spec.physicalName(), Filter.ALL)).isEqualTo(1);
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName("a collection created outside Agent Brain is not taken over")
  void foreignCollectionIsRefused() {
    IndexSpec spec = scratch("foreign");
    try {
      client.getOrCreateCollection(spec.physicalName(), Map.of("owner", "someone else"), 100);

      assertThatThrownBy(() -> store.ensureIndex(spec))
          .isExactlyInstanceOf(StorageException.class)
          .hasMessageContaining("was not created by Agent Brain");
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName("a collection in the l2 distance space is a contract mismatch")
  void l2CollectionIsAMismatch() throws IOException, InterruptedException {
    IndexSpec spec = scratch("euclid");
    try {
      createRaw(
          """
          {"name": "%s", "metadata": {"model": "%s", "dimensions": %d,
           "text_search_language": "english"}, "configuration": {"hnsw": {"space": "l2"}}}
          """
              .formatted(spec.physicalName(), MODEL, DIMENSIONS));

      assertThatThrownBy(() -> store.ensureIndex(spec))
          .isInstanceOf(ContractMismatchException.class)
          .hasMessageContaining("distance space l2, but the contract expects cosine");
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName("vectors stored with another length than the metadata says are a contract mismatch")
  void storedVectorLengthIsChecked() {
    IndexSpec spec = scratch("lying");
    try {
      ChromaClient.Collection collection =
          client.getOrCreateCollection(
              spec.physicalName(),
              Map.of("model", MODEL, "dimensions", DIMENSIONS, "text_search_language", "english"),
              Settings.EF_SEARCH.byDefault());
      client.upsert(
          collection.id(),
          List.of(new ChromaClient.Record("x", new float[] {1, 2, 3}, "x", Map.of("a", "b"))));

      assertThatThrownBy(() -> store.ensureIndex(spec))
          .isInstanceOf(ContractMismatchException.class)
          .hasMessageContaining("stored vector length 3, but the contract expects " + DIMENSIONS);
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  @Test
  @DisplayName("a collection is created with the configured ef_search")
  void collectionsGetTheConfiguredEfSearch() throws IOException, InterruptedException {
    IndexSpec spec = scratch("efsearch");
    try (ChromaStore tuned = new ChromaStore(ChromaConfig.of(server, 37))) {
      tuned.ensureIndex(spec);

      assertThat(collectionJson(spec.physicalName())).contains("\"ef_search\":37");
    } finally {
      store.dropIndex(spec.physicalName());
    }
  }

  private static String collectionJson(String name) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          server
                              + "/api/v2/tenants/default_tenant/databases/default_database/collections/"
                              + name))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString())
          .body()
          .replace(" ", "");
    }
  }

  private static IndexSpec scratch(String purpose) {
    IndexSpec spec = new IndexSpec("ct_" + RUN + "_" + purpose, DIMENSIONS, MODEL, "english");
    store.dropIndex(spec.physicalName());
    return spec;
  }

  private static ChunkRecord chunk(String documentId, int i) {
    return chunk(documentId, 1, i, "text " + i);
  }

  /**
   * Chunk {@code i} of a version of a document, with a vector of {@link #DIMENSIONS} of its own.
   */
  static ChunkRecord chunk(String documentId, long version, int i, String text) {
    float[] vector = new float[DIMENSIONS];
    vector[0] = 1;
    vector[1 + i % (DIMENSIONS - 1)] = i / 100f;
    return ChunkRecord.builder()
        .chunkId(documentId + "#" + i)
        .documentId(documentId)
        .documentVersion(version)
        .position(i)
        .text(text)
        .sourceType("doc")
        .embedding(vector)
        .build();
  }

  private static void createRaw(String json) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          server
                              + "/api/v2/tenants/default_tenant/databases/default_database/collections"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString(json))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }
  }
}
