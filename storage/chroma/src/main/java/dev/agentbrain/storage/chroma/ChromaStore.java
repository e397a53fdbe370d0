package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.UnsupportedSearchException;
import dev.agentbrain.storage.VectorQuery;
import dev.agentbrain.storage.WritePlan;
import dev.agentbrain.storage.chroma.ChromaClient.Include;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chroma as a backend: one collection per physical index, named after it, in the cosine distance
 * space, with the index's model, dimensions and text-search language in the collection's metadata
 * (checked by {@link #ensureIndex}). Chunk fields are stored as record metadata (see {@link
 * ChunkMetadata}).
 *
 * <p>Whole versions: the chunks of a new version of a document are written beside those of the
 * version readers see, which keeps being shown until the new one is complete; a companion
 * collection of version markers ({@link VersionMarkers}) says which version that is, and every read
 * (searches, {@link #chunk}, {@link #chunksOf}) shows a document's chunks of that version only.
 * {@link #count} counts every stored record, a version being written included.
 *
 * <p>Keyword search is not Chroma's: {@link #keywordSearch} refuses it, and the query side combines
 * this store's vector search with a local keyword index ({@code KeywordBackedRetriever} in {@code
 * storage/keyword}).
 *
 * <p>Thread-safe. Writes go in batches of at most the server's {@code max_batch_size} and {@value
 * #MAX_BATCH}; every vector is checked before the first request, because Chroma 1.0 breaks a
 * collection for good on a write without embeddings.
 */
public final class ChromaStore implements ChunkWriter, Retriever, ChunkScan {

  private static final Logger log = LoggerFactory.getLogger(ChromaStore.class);
  private static final String BACKEND = "Chroma";

  /** Batches of about this size were the fastest measured; larger ones gain nothing. */
  static final int MAX_BATCH = 1000;

  /** Documents per stale-version delete request, which keeps its {@code where} clause small. */
  private static final int DOCUMENTS_PER_DELETE = 100;

  /** Records per read when looking for newer versions of the documents of a write. */
  private static final int NEWER_PAGE = 1000;

  /** Reads of records made in all, at most, while each races a writer (see {@link #visible}). */
  private static final int READ_ATTEMPTS = 5;

  /** Ids per page when counting with a filter. */
  private static final int COUNT_PAGE = 10_000;

  private static final String MODEL = "model";
  private static final String DIMENSIONS = "dimensions";
  private static final String TEXT_SEARCH_LANGUAGE = "text_search_language";

  /**
   * A collection as this store knows it.
   *
   * @param markersId its version markers' collection; empty for an index written before them
   */
  private record Index(String collectionId, IndexSpec spec, Optional<String> markersId) {}

  /**
   * Most results one Chroma query is asked for. The local Chroma 1.0 server reads the results back
   * from SQLite with one bound variable each and answers HTTP 500 "too many SQL variables" above
   * SQLite's limit of 32,766: on a 47,781-record collection, 30,720 results were answered and
   * 47,781 refused.
   */
  static final int MAX_QUERY_RESULTS = 30_000;

  private final ChromaClient client;
  private final VersionMarkers markers;
  private final int efSearch;
  private final int maxQueryResults;
  private final ConcurrentMap<String, Index> indexes = new ConcurrentHashMap<>();
  private volatile int batchSize;

  public ChromaStore(ChromaConfig config) {
    this(config, MAX_QUERY_RESULTS);
  }

  /** As the public constructor, asking one query for at most {@code maxQueryResults}. */
  ChromaStore(ChromaConfig config, int maxQueryResults) {
    this.client = new ChromaClient(config);
    this.markers = new VersionMarkers(client);
    this.efSearch = config.efSearch();
    this.maxQueryResults = maxQueryResults;
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    ChromaClient.Collection collection =
        client.getOrCreateCollection(
            spec.physicalName(),
            Map.of(
                MODEL, spec.model(),
                DIMENSIONS, spec.dimensions(),
                TEXT_SEARCH_LANGUAGE, spec.textSearchLanguage()),
            efSearch);
    IndexSpec stored = storedSpec(collection);
    spec.requireMatches(stored, BACKEND);
    if (!collection.space().equals("cosine")) {
      throw ContractMismatchException.ofIndex(
          spec.physicalName(), BACKEND, "distance space", collection.space(), "cosine");
    }
    if (collection.dimension().isPresent()
        && collection.dimension().getAsInt() != spec.dimensions()) {
      throw ContractMismatchException.ofIndex(
          spec.physicalName(),
          BACKEND,
          "stored vector length",
          collection.dimension().getAsInt(),
          spec.dimensions());
    }
    String markersId = markers.ensure(spec.physicalName(), efSearch);
    indexes.put(spec.physicalName(), new Index(collection.id(), spec, Optional.of(markersId)));
    log.debug("Chroma index {} is collection {}", spec.physicalName(), collection.id());
  }

  @Override
  public void write(String physicalName, List<ChunkWrite> writes) {
    List<WritePlan.Step> steps = WritePlan.of(writes);
    onIndex(
        physicalName,
        index -> {
          index.spec().requireWritable(writes);
          for (WritePlan.Step step : steps) {
            switch (step) {
              case WritePlan.DeleteDocuments delete -> deleteDocuments(index, delete);
              case WritePlan.ReplaceChunks replace -> replaceChunks(index, replace);
            }
          }
          return null;
        });
  }

  @Override
  public void dropIndex(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    indexes.remove(physicalName);
    markers.drop(physicalName);
    if (client.deleteCollection(physicalName)) {
      log.info("dropped Chroma index {}", physicalName);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>A filter with a path glob is checked on the records Chroma returns (Chroma has no glob
   * operator): the search asks for {@value GlobSearch#OVERFETCH} times topK nearest records of the
   * rest of the filter, and four times as many again until topK pass or the collection is
   * exhausted, up to {@value #MAX_QUERY_RESULTS} records a query. A glob so selective that fewer
   * than topK of those pass is answered by {@link GlobSearch}: reading every selected record's
   * metadata, then scoring the records the glob keeps here from their vectors. The result is exact;
   * its cost grows as the glob gets more selective.
   */
  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    Optional<Map<String, Object>> where = ChromaWhere.of(query.filter());
    boolean checkEach = query.filter().hasGlob();
    return onIndex(
        physicalName,
        index -> {
          index.spec().requireUsable(query.vector(), "the query vector");
          long total = checkEach ? client.count(index.collectionId()) : query.topK();
          long reachable = Math.min(total, maxQueryResults);
          int asked =
              checkEach
                  ? GlobSearch.firstAsk(query.topK(), reachable)
                  : (int) Math.min(reachable, query.topK());
          while (true) {
            int limit = asked;
            Read<ChromaClient.Match> read =
                readVisible(
                    index,
                    false,
                    () ->
                        limit == 0
                            ? List.of()
                            : client.query(
                                index.collectionId(),
                                query.vector(),
                                limit,
                                where,
                                Set.of(Include.DOCUMENTS, Include.METADATAS)),
                    ChromaClient.Match::record);
            List<ChromaClient.Match> matches = read.all();
            List<SearchHit> hits = new ArrayList<>();
            Set<ChromaClient.Match> shown =
                Collections.newSetFromMap(new IdentityHashMap<>(matches.size()));
            shown.addAll(read.shown());
            for (ChromaClient.Match match : matches) {
              if (!shown.contains(match)) {
                continue; // a version being written, or one already replaced
              }
              double score = Similarity.fromCosineDistance(match.distance());
              ChunkRecord chunk = chunk(match.record());
              if (Similarity.passes(score, query.similarityThreshold())
                  && (!checkEach || query.filter().matches(chunk))
                  && hits.size() < query.topK()) {
                hits.add(new SearchHit(chunk, score));
              }
            }
            if (shown.size() < matches.size() && !checkEach && total == query.topK()) {
              // hidden records took places: look further, as far as the collection goes
              total = client.count(index.collectionId());
              reachable = Math.min(total, maxQueryResults);
            }
            if (hits.size() == query.topK() || matches.size() < asked || asked >= total) {
              hits.sort(SearchHit.BEST_FIRST); // equal distances by chunk id
              return hits;
            }
            if (asked >= reachable) {
              return scoreChecked(index, where, query);
            }
            asked = (int) Math.min(reachable, (long) asked * 4);
          }
        });
  }

  /**
   * The best topK of the records that {@code where} selects and the filter's glob keeps, scored
   * here ({@link GlobSearch#best}) from the vectors of the records that readers may see.
   */
  private List<SearchHit> scoreChecked(
      Index index, Optional<Map<String, Object>> where, VectorQuery query) {
    return GlobSearch.best(
        query,
        checked(index, where, query.filter()),
        ids ->
            readVisible(
                    index,
                    false,
                    () ->
                        client.get(
                            index.collectionId(),
                            ids,
                            Set.of(Include.DOCUMENTS, Include.METADATAS, Include.EMBEDDINGS)),
                    Function.identity())
                .shown());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Chroma has no keyword search of its own: the query side answers it from a local keyword
   * index fed with what Chroma holds ({@code KeywordBackedRetriever} over this store).
   *
   * @throws UnsupportedSearchException always
   */
  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    throw new UnsupportedSearchException(
        "keyword search on the Chroma backend needs its keyword index, which this process does"
            + " not keep — use mode=vector, or backend=postgres");
  }

  /** Never ready: Chroma has no keyword index of its own (see {@link #keywordSearch}). */
  @Override
  public KeywordReadiness keywordReadiness() {
    return new KeywordReadiness(
        false, 0, "this process keeps no keyword index for Chroma; keyword search is off");
  }

  @Override
  public long count(String physicalName, Filter filter) {
    Optional<Map<String, Object>> where = ChromaWhere.of(filter);
    return onIndex(
        physicalName,
        index -> {
          if (filter.hasGlob()) {
            return countChecked(index, where, filter);
          }
          if (where.isEmpty()) {
            return client.count(index.collectionId());
          }
          long count = 0;
          List<String> page;
          do {
            page = client.ids(index.collectionId(), where.get(), COUNT_PAGE, (int) count);
            count += page.size();
          } while (page.size() == COUNT_PAGE);
          return count;
        });
  }

  /**
   * The spec the physical index was created with, from its collection's metadata.
   *
   * @throws NoSuchIndexException when there is no such index
   */
  public IndexSpec spec(String physicalName) {
    return onIndex(physicalName, Index::spec);
  }

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    Set<Include> all = Set.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS);
    return onIndex(
        physicalName,
        index -> {
          Supplier<List<ChromaClient.Record>> read =
              () -> {
                List<ChromaClient.Record> records =
                    new ArrayList<>(
                        client.page(
                            index.collectionId(),
                            Optional.of(Map.of(ChunkMetadata.CHUNK_ID, chunkId)),
                            COUNT_PAGE,
                            0,
                            all));
                records.addAll(client.get(index.collectionId(), List.of(chunkId), all)); // old ids
                return records;
              };
          return readVisible(index, false, read, Function.identity()).shown().stream()
              .findFirst()
              .map(ChromaStore::chunk);
        });
  }

  /**
   * Pages by chunk, in Chroma's storage order (the cursor is an offset): a document whose chunks
   * fall on both sides of a page boundary is listed in both pages.
   */
  @Override
  public DocumentPage documents(String physicalName, String cursor, int limit) {
    int offset = cursor.isEmpty() ? 0 : Integer.parseInt(cursor);
    int size = Math.max(1, limit);
    return onIndex(
        physicalName,
        index -> {
          List<ChromaClient.Record> records =
              client.page(
                  index.collectionId(), Optional.empty(), size, offset, Set.of(Include.METADATAS));
          Set<String> documents = new LinkedHashSet<>();
          records.forEach(
              r -> documents.add(String.valueOf(r.metadata().get(ChunkMetadata.DOCUMENT_ID))));
          return new DocumentPage(
              List.copyOf(documents),
              records.size() < size
                  ? Optional.empty()
                  : Optional.of(String.valueOf(offset + records.size())));
        });
  }

  @Override
  public List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds) {
    if (documentIds.isEmpty()) {
      return List.of();
    }
    Map<String, Object> where =
        Map.of(ChunkMetadata.DOCUMENT_ID, Map.of("$in", List.copyOf(documentIds)));
    return onIndex(
        physicalName,
        index -> {
          Supplier<List<ChromaClient.Record>> read =
              () -> {
                List<ChromaClient.Record> records = new ArrayList<>();
                List<ChromaClient.Record> page;
                do {
                  page =
                      client.page(
                          index.collectionId(),
                          Optional.of(where),
                          COUNT_PAGE,
                          records.size(),
                          Set.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
                  records.addAll(page);
                } while (page.size() == COUNT_PAGE);
                return records;
              };
          return readVisible(index, true, read, Function.identity()).shown().stream()
              .map(ChromaStore::chunk)
              .toList();
        });
  }

  @Override
  public void close() {
    client.close();
  }

  /**
   * Runs {@code action} on the index's collection. When the collection has gone since it was looked
   * up (another process dropped and perhaps rebuilt the index), looks it up again once.
   */
  private <T> T onIndex(String physicalName, Function<Index, T> action) {
    Index index = index(physicalName);
    try {
      return action.apply(index);
    } catch (NoSuchIndexException e) {
      indexes.remove(physicalName, index);
      return action.apply(index(physicalName));
    }
  }

  private Index index(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    Index known = indexes.get(physicalName);
    if (known != null) {
      return known;
    }
    ChromaClient.Collection collection =
        client
            .collection(physicalName)
            .orElseThrow(
                () ->
                    new NoSuchIndexException(
                        "index %s does not exist in Chroma; create it first (the indexer does on start)"
                            .formatted(physicalName)));
    Index found = new Index(collection.id(), storedSpec(collection), markers.find(physicalName));
    indexes.put(physicalName, found);
    return found;
  }

  /** The spec a collection was created with, from its metadata. */
  private static IndexSpec storedSpec(ChromaClient.Collection collection) {
    Map<String, Object> metadata = collection.metadata();
    if (!(metadata.get(MODEL) instanceof String model)
        || !(metadata.get(DIMENSIONS) instanceof Long dimensions)
        || !(metadata.get(TEXT_SEARCH_LANGUAGE) instanceof String language)) {
      throw new StorageException(
          "Chroma collection %s was not created by Agent Brain (its metadata lacks model, dimensions and text_search_language); drop it or use another index name"
              .formatted(collection.name()));
    }
    return new IndexSpec(collection.name(), Math.toIntExact(dimensions), model, language);
  }

  /** Counts the records of a filter with a glob by checking each one the rest of it selects. */
  private long countChecked(Index index, Optional<Map<String, Object>> where, Filter filter) {
    return checked(index, where, filter).size();
  }

  /**
   * The ids of the records that {@code where} selects and {@code filter} (with its glob) keeps
   * ({@link GlobSearch#kept}), a page at a time.
   */
  private List<String> checked(Index index, Optional<Map<String, Object>> where, Filter filter) {
    return GlobSearch.kept(
        filter,
        COUNT_PAGE,
        offset ->
            client.page(
                index.collectionId(), where, COUNT_PAGE, offset, Set.of(Include.METADATAS)));
  }

  private int batchSize() {
    if (batchSize == 0) {
      batchSize = Math.max(1, Math.min(client.maxBatchSize(), MAX_BATCH));
    }
    return batchSize;
  }

  /**
   * Marks the documents deleted at their versions first (readers stop showing them at once), then
   * removes their older chunks; a newer version, written by a writer ahead of this one, stays.
   */
  private void deleteDocuments(Index index, WritePlan.DeleteDocuments step) {
    markers.mark(markersFor(index), step.versions(), true);
    removeOlder(index, step.versions());
  }

  /**
   * Writes the chunks beside the versions readers see; for each document whose version is now
   * whole, marks it (readers switch to it) and then removes the older chunks.
   */
  private void replaceChunks(Index index, WritePlan.ReplaceChunks requested) {
    String markersId = markersFor(index);
    Map<String, VersionMarkers.Marker> newest =
        markers.newest(markersId, List.copyOf(requested.versions().keySet()));
    WritePlan.ReplaceChunks step = requested.without(superseded(index, requested, newest));
    if (step.versions().isEmpty()) {
      return;
    }
    List<ChromaClient.Record> records =
        step.chunks().stream()
            .map(
                chunk ->
                    new ChromaClient.Record(
                        ChunkMetadata.recordId(chunk),
                        chunk.embedding(),
                        chunk.text(),
                        ChunkMetadata.of(
                            chunk, step.chunkCounts().getOrDefault(chunk.documentId(), 0))))
            .toList();
    for (List<ChromaClient.Record> batch : partition(records, batchSize())) {
      // Chroma's upsert merges metadata into an existing record: remove it first, so a rewritten
      // chunk keeps no key it no longer has
      client.deleteIds(index.collectionId(), batch.stream().map(ChromaClient.Record::id).toList());
      client.upsert(index.collectionId(), batch);
    }
    Map<String, Long> whole = new LinkedHashMap<>();
    step.versions()
        .forEach(
            (document, version) -> {
              if (step.completes(document) || storedWhole(index, step, document)) {
                whole.put(document, version);
              }
            });
    markers.mark(markersId, whole, false);
    removeOlder(index, whole);
  }

  /** True when the collection holds every chunk of the document's version in the step. */
  private boolean storedWhole(Index index, WritePlan.ReplaceChunks step, String document) {
    int count = step.chunkCounts().get(document);
    return client
            .ids(
                index.collectionId(),
                ChromaWhere.version(document, step.versions().get(document)),
                count + 1,
                0)
            .size()
        == count;
  }

  private void removeOlder(Index index, Map<String, Long> versions) {
    List<Map<String, Object>> older = new ArrayList<>();
    versions.forEach(
        (document, version) -> older.add(ChromaWhere.olderVersions(document, version)));
    for (List<Map<String, Object>> clauses : partition(older, DOCUMENTS_PER_DELETE)) {
      client.delete(index.collectionId(), ChromaWhere.anyOf(clauses));
    }
  }

  /**
   * Documents of the step whose version is superseded: by a newer marker (a finished version or a
   * deletion), by a marker of this very version when the step holds only part of it (the version is
   * already whole), or, for a document without markers (written before them), by a stored chunk of
   * a newer version.
   */
  private Set<String> superseded(
      Index index, WritePlan.ReplaceChunks step, Map<String, VersionMarkers.Marker> newest) {
    Set<String> superseded = new HashSet<>();
    List<Map<String, Object>> unmarked = new ArrayList<>();
    step.versions()
        .forEach(
            (document, version) -> {
              VersionMarkers.Marker marker = newest.get(document);
              if (marker == null) {
                unmarked.add(ChromaWhere.newerVersions(document, version));
              } else if (marker.version() > version
                  || marker.version() == version && !step.completes(document)) {
                superseded.add(document);
              }
            });
    for (List<Map<String, Object>> clauses : partition(unmarked, DOCUMENTS_PER_DELETE)) {
      for (int offset = 0; ; offset += NEWER_PAGE) {
        List<ChromaClient.Record> page =
            client.page(
                index.collectionId(),
                Optional.of(ChromaWhere.anyOf(clauses)),
                NEWER_PAGE,
                offset,
                Set.of(ChromaClient.Include.METADATAS));
        page.forEach(r -> superseded.add(ChunkMetadata.documentId(r.metadata())));
        if (page.size() < NEWER_PAGE) {
          break;
        }
      }
    }
    return superseded;
  }

  /** The markers collection of an index, created when it has none (a writer upgrading it). */
  private String markersFor(Index index) {
    return markersOf(index).orElseGet(() -> markers.ensure(index.spec().physicalName(), efSearch));
  }

  /**
   * The markers collection of an index; looked for again while it has none, since a writer may have
   * added it since.
   */
  private Optional<String> markersOf(Index index) {
    if (index.markersId().isPresent()) {
      return index.markersId();
    }
    Optional<String> found = markers.find(index.spec().physicalName());
    found.ifPresent(
        id ->
            indexes.replace(
                index.spec().physicalName(),
                index,
                new Index(index.collectionId(), index.spec(), found)));
    return found;
  }

  /**
   * What one read of records returned, and which of them readers may see.
   *
   * @param all every item read, in the order read
   * @param shown the items readers may see, in the same order
   */
  private record Read<T>(List<T> all, List<T> shown) {}

  /**
   * Reads records and keeps those readers may see ({@link #visible}); reads again, up to {@value
   * #READ_ATTEMPTS} times in all, while the read raced a writer.
   *
   * @param whole true when the read asks for every chunk of its documents
   * @param record the record of an item read
   */
  private <T> Read<T> readVisible(
      Index index, boolean whole, Supplier<List<T>> read, Function<T, ChromaClient.Record> record) {
    for (int attempt = 1; ; attempt++) {
      List<T> all = read.get();
      Visible visible = visible(index, all.stream().map(record).toList(), whole);
      if (!visible.raced() || attempt == READ_ATTEMPTS) {
        return new Read<>(
            all,
            all.stream().filter(item -> visible.shown().contains(record.apply(item))).toList());
      }
    }
  }

  /**
   * The records of a read that readers may see, and whether the read raced a writer.
   *
   * @param shown the records to show, by identity
   * @param raced true when the read may have missed records it should show: records removed while
   *     they were read, a document whose every record read is older than its marker (read before a
   *     writer switched it to a newer version), or, for a whole read, a version read in part
   */
  private record Visible(Set<ChromaClient.Record> shown, boolean raced) {}

  /**
   * Of each document, the records of the version its newest marker names (none when that is a
   * deletion); a document without markers as it is stored.
   *
   * <p>The markers are read after the records, and a writer switches a document to a new version
   * between the two: it writes every chunk of the version, marks it, then removes the older chunks.
   * Records read before a switch and markers read after it show nothing of the document; the read
   * is then reported raced, so that it is made again.
   */
  private Visible visible(Index index, List<ChromaClient.Record> records, boolean whole) {
    Set<ChromaClient.Record> shown = Collections.newSetFromMap(new IdentityHashMap<>());
    if (records.isEmpty()) {
      return new Visible(shown, false);
    }
    Optional<String> markersId = markersOf(index);
    if (markersId.isEmpty()) {
      shown.addAll(records); // written before whole versions: as it is stored
      return new Visible(shown, false);
    }
    boolean raced = false;
    Map<String, List<ChromaClient.Record>> byDocument = new LinkedHashMap<>();
    for (ChromaClient.Record record : records) {
      String document = ChunkMetadata.documentId(record.metadata());
      if (document.isEmpty()) {
        raced = true; // removed between Chroma finding it and reading its metadata
      } else {
        byDocument.computeIfAbsent(document, d -> new ArrayList<>()).add(record);
      }
    }
    Map<String, VersionMarkers.Marker> newest =
        markers.newest(markersId.get(), List.copyOf(byDocument.keySet()));
    for (Map.Entry<String, List<ChromaClient.Record>> document : byDocument.entrySet()) {
      VersionMarkers.Marker marker = newest.get(document.getKey());
      if (marker == null) {
        document.getValue().stream()
            .filter(r -> ChunkMetadata.beforeMarkers(r.metadata()))
            .forEach(shown::add);
      } else if (!marker.deleted()) {
        List<ChromaClient.Record> current =
            document.getValue().stream()
                .filter(r -> ChunkMetadata.documentVersion(r.metadata()) == marker.version())
                .toList();
        shown.addAll(current);
        raced |=
            current.isEmpty()
                ? whole || olderThan(document.getValue(), marker)
                : whole && partial(current);
      }
    }
    return new Visible(shown, raced);
  }

  private static boolean olderThan(
      List<ChromaClient.Record> records, VersionMarkers.Marker marker) {
    return records.stream()
        .anyMatch(r -> ChunkMetadata.documentVersion(r.metadata()) < marker.version());
  }

  /** True when these records of one version are fewer than the chunks it has, where known. */
  private static boolean partial(List<ChromaClient.Record> version) {
    long count = ChunkMetadata.chunkCount(version.getFirst().metadata());
    return count > 0
        && version.stream().map(r -> ChunkMetadata.chunkId(r.id(), r.metadata())).distinct().count()
            != count;
  }

  private static ChunkRecord chunk(ChromaClient.Record record) {
    return ChunkMetadata.chunk(
        record.id(), record.document(), record.metadata(), record.embedding());
  }

  private static <T> List<List<T>> partition(List<T> items, int size) {
    List<List<T>> parts = new ArrayList<>();
    for (int start = 0; start < items.size(); start += size) {
      parts.add(items.subList(start, Math.min(items.size(), start + size)));
    }
    return parts;
  }
}
