package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ChunkWriter;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chroma as a backend: one collection per physical index, named after it, in the cosine distance
 * space, with the index's model, dimensions and text-search language in the collection's metadata
 * (checked by {@link #ensureIndex}). Chunk fields are stored as record metadata (see {@link
 * ChunkMetadata}).
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

  /** Ids per page when counting with a filter. */
  private static final int COUNT_PAGE = 10_000;

  private static final String MODEL = "model";
  private static final String DIMENSIONS = "dimensions";
  private static final String TEXT_SEARCH_LANGUAGE = "text_search_language";

  /** A collection as this store knows it. */
  private record Index(String collectionId, IndexSpec spec) {}

  private final ChromaClient client;
  private final ConcurrentMap<String, Index> indexes = new ConcurrentHashMap<>();
  private volatile int batchSize;

  public ChromaStore(ChromaConfig config) {
    this.client = new ChromaClient(config);
  }

  @Override
  public void ensureIndex(IndexSpec spec) {
    ChromaClient.Collection collection =
        client.getOrCreateCollection(
            spec.physicalName(),
            Map.of(
                MODEL, spec.model(),
                DIMENSIONS, spec.dimensions(),
                TEXT_SEARCH_LANGUAGE, spec.textSearchLanguage()));
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
    indexes.put(spec.physicalName(), new Index(collection.id(), spec));
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
    if (client.deleteCollection(physicalName)) {
      log.info("dropped Chroma index {}", physicalName);
    }
  }

  @Override
  public List<SearchHit> vectorSearch(String physicalName, VectorQuery query) {
    Optional<Map<String, Object>> where = ChromaWhere.of(query.filter());
    return onIndex(
        physicalName,
        index -> {
          index.spec().requireUsable(query.vector(), "the query vector");
          List<SearchHit> hits = new ArrayList<>();
          for (ChromaClient.Match match :
              client.query(
                  index.collectionId(),
                  query.vector(),
                  query.topK(),
                  where,
                  Set.of(Include.DOCUMENTS, Include.METADATAS))) {
            double score = Similarity.fromCosineDistance(match.distance());
            if (Similarity.passes(score, query.similarityThreshold())) {
              hits.add(new SearchHit(chunk(match.record()), score));
            }
          }
          return hits;
        });
  }

  /**
   * Not available yet: local Chroma has no BM25 or sparse index, and the Chroma backend's own
   * keyword index is still to be built.
   *
   * @throws StorageException always
   */
  @Override
  public List<SearchHit> keywordSearch(String physicalName, KeywordQuery query) {
    throw new UnsupportedSearchException(
        "keyword search on the Chroma backend is not available yet — use mode=vector, or"
            + " backend=postgres");
  }

  @Override
  public long count(String physicalName, Filter filter) {
    Optional<Map<String, Object>> where = ChromaWhere.of(filter);
    return onIndex(
        physicalName,
        index -> {
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

  @Override
  public Optional<ChunkRecord> chunk(String physicalName, String chunkId) {
    return onIndex(
        physicalName,
        index ->
            client
                .get(
                    index.collectionId(),
                    List.of(chunkId),
                    Set.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS))
                .stream()
                .findFirst()
                .map(ChromaStore::chunk));
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
          List<ChunkRecord> chunks = new ArrayList<>();
          List<ChromaClient.Record> page;
          do {
            page =
                client.page(
                    index.collectionId(),
                    Optional.of(where),
                    COUNT_PAGE,
                    chunks.size(),
                    Set.of(Include.EMBEDDINGS, Include.DOCUMENTS, Include.METADATAS));
            page.forEach(record -> chunks.add(chunk(record)));
          } while (page.size() == COUNT_PAGE);
          return chunks;
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
    Index found = new Index(collection.id(), storedSpec(collection));
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

  private int batchSize() {
    if (batchSize == 0) {
      batchSize = Math.max(1, Math.min(client.maxBatchSize(), MAX_BATCH));
    }
    return batchSize;
  }

  private void deleteDocuments(Index index, WritePlan.DeleteDocuments step) {
    for (List<String> documents : partition(step.documentIds(), DOCUMENTS_PER_DELETE)) {
      client.delete(
          index.collectionId(), Map.of(ChunkMetadata.DOCUMENT_ID, Map.of("$in", documents)));
    }
  }

  private void replaceChunks(Index index, WritePlan.ReplaceChunks step) {
    List<Map<String, Object>> stale = new ArrayList<>();
    step.versions()
        .forEach((document, version) -> stale.add(ChromaWhere.otherVersions(document, version)));
    for (List<Map<String, Object>> clauses : partition(stale, DOCUMENTS_PER_DELETE)) {
      client.delete(index.collectionId(), ChromaWhere.anyOf(clauses));
    }
    List<ChromaClient.Record> records =
        step.chunks().stream()
            .map(
                chunk ->
                    new ChromaClient.Record(
                        chunk.chunkId(), chunk.embedding(), chunk.text(), ChunkMetadata.of(chunk)))
            .toList();
    for (List<ChromaClient.Record> batch : partition(records, batchSize())) {
      // Chroma's upsert merges metadata into an existing record: remove it first, so a rewritten
      // chunk keeps no key it no longer has
      client.deleteIds(index.collectionId(), batch.stream().map(ChromaClient.Record::id).toList());
      client.upsert(index.collectionId(), batch);
    }
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
