package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.WritePlan;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.Weight;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/**
 * One physical index's keyword index: a Lucene index in its own directory. Writes follow {@link
 * WritePlan} exactly as the backends apply it; searches score with {@link Bm25Scorer} from exact
 * statistics of the live chunks (Lucene's own document frequencies count deleted documents until a
 * merge, and its length norms are rounded to a byte), so a score is the one PostgreSQL computes for
 * the same analysed terms.
 *
 * <p>Whole versions, as Chroma's readers see them: the chunks of a version that spans several
 * applies wait in memory, out of sight, until its last chunk arrives; then the document's older
 * chunks and the new ones change places in one refresh. While a version waits, the offsets made
 * durable stay those from before its first chunk, so a restart reads its chunks again.
 *
 * <p>The commit's user data holds the index's spec, whether its first build finished ({@value
 * #COMPLETE}) and the next offset to apply per partition of the log that feeds it. Thread-safe:
 * writes are serialised, searches run concurrently on the latest applied state.
 */
final class KeywordIndex implements Closeable {

  private static final String MODEL = "spec.model";
  private static final String DIMENSIONS = "spec.dimensions";
  private static final String LANGUAGE = "spec.text_search_language";
  private static final String COMPLETE = "complete";
  private static final String OFFSET = "offset.";

  /** Statistics of the live chunks of one reader, computed once per reader. */
  private record Statistics(IndexReader reader, long chunks, long totalLength, int[][] lengths) {}

  private final IndexSpec spec;
  private final Analyzer analyzer;
  private final FSDirectory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final Map<Integer, Long> offsets = new TreeMap<>();

  /** A version of a document whose chunks have not all arrived. */
  private record Partial(long version, int chunkCount, Map<String, ChunkRecord> chunks) {}

  private final Map<String, Partial> partial = new HashMap<>();

  /** While a version is partial: the offsets from before its first chunk, else empty. */
  private Map<Integer, Long> resumeOffsets = Map.of();

  private volatile boolean complete;
  private volatile Statistics statistics;

  private KeywordIndex(IndexSpec spec, FSDirectory directory, Map<String, String> committed)
      throws IOException {
    this.spec = spec;
    this.analyzer = TextAnalysis.forLanguage(spec.textSearchLanguage());
    this.directory = directory;
    this.writer =
        new IndexWriter(
            directory,
            new IndexWriterConfig(analyzer)
                .setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND));
    this.searchers = new SearcherManager(writer, null);
    committed.forEach(
        (key, value) -> {
          if (key.startsWith(OFFSET)) {
            offsets.put(Integer.parseInt(key.substring(OFFSET.length())), Long.parseLong(value));
          }
        });
    this.complete = Boolean.parseBoolean(committed.get(COMPLETE));
  }

  /**
   * Opens the index in {@code path}, creating it when there is none.
   *
   * @throws dev.agentbrain.storage.ContractMismatchException when the index there was built for
   *     another spec
   */
  static KeywordIndex open(Path path, IndexSpec spec) throws IOException {
    FSDirectory directory = FSDirectory.open(path);
    try {
      Map<String, String> committed = Map.of();
      if (DirectoryReader.indexExists(directory)) {
        committed = SegmentInfos.readLatestCommit(directory).getUserData();
        if (committed.containsKey(MODEL)) {
          spec.requireMatches(
              new IndexSpec(
                  spec.physicalName(),
                  Integer.parseInt(committed.get(DIMENSIONS)),
                  committed.get(MODEL),
                  committed.get(LANGUAGE)),
              "the keyword index");
        }
      }
      KeywordIndex index = new KeywordIndex(spec, directory, committed);
      index.commit();
      return index;
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  IndexSpec spec() {
    return spec;
  }

  /** Whether the index's first build (from the backend's own contents) finished. */
  boolean complete() {
    return complete;
  }

  /** The next offset to apply, per partition of the feeding log; empty before the first build. */
  synchronized Map<Integer, Long> offsets() {
    return Map.copyOf(partial.isEmpty() ? offsets : resumeOffsets);
  }

  /**
   * Applies the writes as the backends do, then records {@code nextOffsets} (a partition's offset
   * only moves forward). Searches see the result when this returns; it is durable after {@link
   * #commit}.
   */
  synchronized void apply(List<ChunkWrite> writes, Map<Integer, Long> nextOffsets)
      throws IOException {
    Map<Integer, Long> before = Map.copyOf(offsets);
    boolean waiting = !partial.isEmpty();
    for (WritePlan.Step step : WritePlan.of(writes)) {
      switch (step) {
        case WritePlan.DeleteDocuments delete -> delete(delete);
        case WritePlan.ReplaceChunks replace -> replace(replace);
      }
    }
    nextOffsets.forEach((partition, offset) -> offsets.merge(partition, offset, Math::max));
    if (!waiting && !partial.isEmpty()) {
      resumeOffsets = before;
    }
    searchers.maybeRefreshBlocking();
  }

  /** Marks the first build finished, with the offsets the log is to be read from after it. */
  synchronized void completeBuild(Map<Integer, Long> startOffsets) throws IOException {
    offsets.clear();
    offsets.putAll(startOffsets);
    partial.clear();
    complete = true;
    commit();
  }

  /** Removes every chunk and forgets the offsets and the finished build (for a rebuild). */
  synchronized void clear() throws IOException {
    writer.deleteAll();
    offsets.clear();
    partial.clear();
    complete = false;
    commit();
    searchers.maybeRefreshBlocking();
  }

  /** Makes everything applied so far durable, offsets included. */
  synchronized void commit() throws IOException {
    Map<String, String> data = new LinkedHashMap<>();
    data.put(MODEL, spec.model());
    data.put(DIMENSIONS, Integer.toString(spec.dimensions()));
    data.put(LANGUAGE, spec.textSearchLanguage());
    data.put(COMPLETE, Boolean.toString(complete));
    offsets().forEach((partition, offset) -> data.put(OFFSET + partition, Long.toString(offset)));
    writer.setLiveCommitData(data.entrySet());
    writer.commit();
  }

  /** Live chunks. */
  long count() throws IOException {
    IndexSearcher searcher = searchers.acquire();
    try {
      return searcher.getIndexReader().numDocs();
    } finally {
      searchers.release(searcher);
    }
  }

  /**
   * The chunks that hold at least one of the query's analysed terms and pass its filter, by BM25
   * (the same sum PostgreSQL computes: query count × IDF × term weight, IDF and average length over
   * every live chunk of the index), best first, equal scores by chunk id.
   *
   * <p>Exhaustive, with no pruning: every posting of every query term is read and every chunk that
   * holds one is scored, then the best {@code topK} are kept. Its cost grows with the matches, not
   * with {@code topK}; its ranking is the reference a pruned scorer would be measured against.
   */
  List<SearchHit> search(KeywordQuery query, Bm25 bm25) throws IOException {
    Map<String, Integer> queryCounts = new LinkedHashMap<>();
    for (String term : TextAnalysis.terms(analyzer, ChunkDocuments.TEXT, query.text())) {
      queryCounts.merge(term, 1, Integer::sum);
    }
    IndexSearcher searcher = searchers.acquire();
    try {
      Statistics stats = statistics(searcher.getIndexReader());
      Map<String, Long> documentFrequencies = new HashMap<>();
      for (String term : queryCounts.keySet()) {
        documentFrequencies.put(
            term, (long) searcher.count(new TermQuery(new Term(ChunkDocuments.TEXT, term))));
      }
      Bm25Scorer scorer =
          Bm25Scorer.of(
              bm25, queryCounts, documentFrequencies, stats.chunks(), stats.totalLength());
      if (scorer.matchesNothing()) {
        return List.of();
      }
      Weight filter = filterWeight(searcher, query);
      List<Candidate> candidates = new ArrayList<>();
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        score(leaf, stats.lengths()[leaf.ord], scorer, filter, candidates);
      }
      return top(searcher, candidates, query.topK(), scorer);
    } finally {
      searchers.release(searcher);
    }
  }

  @Override
  public synchronized void close() throws IOException {
    try (directory;
        writer;
        searchers) {
      commit();
    }
  }

  private record Candidate(int leaf, int doc, double score) {}

  /** Removes the documents' chunks older than the deletes; a newer version stays. */
  private void delete(WritePlan.DeleteDocuments step) throws IOException {
    Map<String, Long> stored = storedVersions(step.versions().keySet());
    for (Map.Entry<String, Long> delete : step.versions().entrySet()) {
      String document = delete.getKey();
      partial.computeIfPresent(document, (d, p) -> p.version() < delete.getValue() ? null : p);
      if (stored.getOrDefault(document, Long.MIN_VALUE) < delete.getValue()) {
        writer.deleteDocuments(new Term(ChunkDocuments.DOCUMENT_ID, document));
      }
    }
  }

  /**
   * Writes the documents whose version is whole, and keeps the parts of the others until it is; a
   * version older than the one stored changes nothing, as in the backends.
   */
  private void replace(WritePlan.ReplaceChunks step) throws IOException {
    Map<String, Long> stored = storedVersions(step.versions().keySet());
    for (Map.Entry<String, Long> entry : step.versions().entrySet()) {
      String document = entry.getKey();
      long version = entry.getValue();
      long held = stored.getOrDefault(document, Long.MIN_VALUE);
      List<ChunkRecord> chunks =
          step.chunks().stream().filter(c -> c.documentId().equals(document)).toList();
      if (step.completes(document)) {
        if (held <= version) {
          partial.computeIfPresent(document, (d, p) -> p.version() <= version ? null : p);
          writeWhole(document, version, chunks);
        }
        continue;
      }
      Partial waiting = partial.get(document);
      if (held >= version || waiting != null && waiting.version() > version) {
        continue; // already whole here, or a newer version is on its way
      }
      if (waiting == null || waiting.version() < version) {
        waiting = new Partial(version, step.chunkCounts().get(document), new LinkedHashMap<>());
        partial.put(document, waiting);
      }
      chunks.forEach(chunk -> partial.get(document).chunks().put(chunk.chunkId(), chunk));
      if (waiting.chunks().size() == waiting.chunkCount()) {
        partial.remove(document);
        writeWhole(document, version, List.copyOf(waiting.chunks().values()));
      }
    }
  }

  private void writeWhole(String document, long version, List<ChunkRecord> chunks)
      throws IOException {
    writer.deleteDocuments(
        new BooleanQuery.Builder()
            .add(new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, document)), Occur.FILTER)
            .add(
                new TermQuery(new Term(ChunkDocuments.DOCUMENT_VERSION, Long.toString(version))),
                Occur.MUST_NOT)
            .build());
    for (ChunkRecord chunk : chunks) {
      int length = TextAnalysis.terms(analyzer, ChunkDocuments.TEXT, chunk.text()).size();
      writer.updateDocument(
          new Term(ChunkDocuments.CHUNK_ID, chunk.chunkId()), ChunkDocuments.of(chunk, length));
    }
  }

  /** The version the index holds of each of these documents that it holds. */
  private Map<String, Long> storedVersions(Set<String> documents) throws IOException {
    searchers.maybeRefreshBlocking(); // the steps before this one of the same apply
    IndexSearcher searcher = searchers.acquire();
    try {
      Map<String, Long> stored = new HashMap<>();
      for (String document : documents) {
        TopDocs found =
            searcher.search(new TermQuery(new Term(ChunkDocuments.DOCUMENT_ID, document)), 1);
        if (found.scoreDocs.length > 0) {
          String held =
              searcher
                  .storedFields()
                  .document(found.scoreDocs[0].doc, Set.of(ChunkDocuments.DOCUMENT_VERSION))
                  .get(ChunkDocuments.DOCUMENT_VERSION);
          stored.put(document, Long.parseLong(held));
        }
      }
      return stored;
    } finally {
      searchers.release(searcher);
    }
  }

  private static Weight filterWeight(IndexSearcher searcher, KeywordQuery query)
      throws IOException {
    Query filter = LuceneFilter.of(query.filter(), searcher.getIndexReader());
    if (filter instanceof MatchAllDocsQuery) {
      return null;
    }
    return searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1);
  }

  /** Adds the leaf's matching chunks, scored term at a time from their postings. */
  private static void score(
      LeafReaderContext leaf,
      int[] lengths,
      Bm25Scorer scorer,
      Weight filter,
      List<Candidate> candidates)
      throws IOException {
    LeafReader reader = leaf.reader();
    Bits live = reader.getLiveDocs();
    FixedBitSet allowed = null;
    if (filter != null) {
      allowed = new FixedBitSet(reader.maxDoc());
      Scorer passing = filter.scorer(leaf);
      if (passing == null) {
        return;
      }
      allowed.or(passing.iterator());
    }
    double[] scores = new double[reader.maxDoc()];
    FixedBitSet matched = new FixedBitSet(reader.maxDoc());
    for (String term : scorer.terms()) {
      PostingsEnum postings =
          reader.postings(new Term(ChunkDocuments.TEXT, term), PostingsEnum.FREQS);
      if (postings == null) {
        continue;
      }
      for (int doc = postings.nextDoc();
          doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = postings.nextDoc()) {
        if ((live == null || live.get(doc)) && (allowed == null || allowed.get(doc))) {
          scores[doc] += scorer.score(term, postings.freq(), lengths[doc]);
          matched.set(doc);
        }
      }
    }
    for (int doc = matched.nextSetBit(0);
        doc != DocIdSetIterator.NO_MORE_DOCS;
        doc =
            doc + 1 < matched.length()
                ? matched.nextSetBit(doc + 1)
                : DocIdSetIterator.NO_MORE_DOCS) {
      candidates.add(new Candidate(leaf.ord, doc, scores[doc]));
    }
  }

  /**
   * The best {@code topK}, equal scores by chunk id (read only for the candidates that need it).
   */
  private static List<SearchHit> top(
      IndexSearcher searcher, List<Candidate> candidates, int topK, Bm25Scorer scorer)
      throws IOException {
    candidates.sort(Comparator.comparingDouble(Candidate::score).reversed());
    int end = Bm25Scorer.contenders(candidates, Candidate::score, topK);
    List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
    Map<Candidate, ChunkRecord> chunks = new HashMap<>();
    for (Candidate candidate : candidates.subList(0, end)) {
      LeafReader reader = leaves.get(candidate.leaf()).reader();
      chunks.put(candidate, ChunkDocuments.chunk(reader.storedFields().document(candidate.doc())));
    }
    return candidates.subList(0, end).stream()
        .sorted(
            Comparator.comparingDouble(Candidate::score)
                .reversed()
                .thenComparing(candidate -> chunks.get(candidate).chunkId()))
        .limit(topK)
        .map(
            candidate -> new SearchHit(chunks.get(candidate), scorer.similarity(candidate.score())))
        .toList();
  }

  /** Chunk count and exact lengths of the live chunks, computed once per reader. */
  private Statistics statistics(IndexReader reader) throws IOException {
    Statistics known = statistics;
    if (known != null && known.reader() == reader) {
      return known;
    }
    long chunks = 0;
    long totalLength = 0;
    int[][] lengths = new int[reader.leaves().size()][];
    for (LeafReaderContext leaf : reader.leaves()) {
      LeafReader leafReader = leaf.reader();
      int[] leafLengths = new int[leafReader.maxDoc()];
      Bits live = leafReader.getLiveDocs();
      NumericDocValues values = leafReader.getNumericDocValues(ChunkDocuments.LENGTH);
      if (values != null) {
        for (int doc = values.nextDoc();
            doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = values.nextDoc()) {
          leafLengths[doc] = (int) values.longValue();
          if (live == null || live.get(doc)) {
            chunks++;
            totalLength += leafLengths[doc];
          }
        }
      }
      lengths[leaf.ord] = leafLengths;
    }
    Statistics computed = new Statistics(reader, chunks, totalLength, lengths);
    statistics = computed;
    return computed;
  }
}
