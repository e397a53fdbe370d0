package dev.agentbrain.storage.reconciliation;

import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.DocumentVersions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Compares two physical indexes document by document — any backend and index with any other:
 * present on both sides, same version, same chunk ids, same text and content hash per chunk,
 * vectors equal within a tolerance.
 *
 * <p>It streams: each side is read a page of documents at a time ({@link ChunkScan}), so memory
 * holds one page of chunks, the documents under suspicion and the named differences. A first pass
 * walks the left side and compares every document it lists with the right side; a second pass walks
 * the right side for documents the left lacks. Differences found while the writers are live may be
 * lag (a document written to one backend and not yet to the other), so the suspects are compared
 * again after {@link Settling#awaitCaughtUp()}; only what still differs is reported.
 *
 * <p>Not thread-safe; one instance runs one comparison.
 */
public final class Reconciliation {

  /**
   * How a reconciliation runs.
   *
   * @param pageSize documents (or chunks, see {@link ChunkScan#documents}) read per page
   * @param vectorTolerance the largest absolute difference allowed between two components of a
   *     chunk's vectors (PostgreSQL stores more than 2,000 dimensions in half precision, about 3
   *     significant digits: use 1e-3 there)
   * @param maxNamed how many differing documents the result names (all are counted)
   * @param maxSuspects how many differing documents are held for the re-check; beyond this,
   *     differing documents are counted under their first verdict without a re-check
   */
  public record Options(int pageSize, double vectorTolerance, int maxNamed, int maxSuspects) {
    public static final Options DEFAULTS = new Options(200, 1e-4, 50, 100_000);

    public Options {
      if (pageSize < 1 || maxNamed < 0 || maxSuspects < 1 || !(vectorTolerance >= 0)) {
        throw new IllegalArgumentException(
            "page size and suspects must be positive, tolerance and names not negative");
      }
    }
  }

  private final IndexSide left;
  private final IndexSide right;
  private final Options options;
  private final Set<String> suspects = new LinkedHashSet<>();
  private final Map<Difference.Kind, Long> counts = new EnumMap<>(Difference.Kind.class);
  private final List<Difference> named = new ArrayList<>();
  private long documents;
  private long chunks;

  public Reconciliation(IndexSide left, IndexSide right, Options options) {
    this.left = left;
    this.right = right;
    this.options = options;
  }

  /**
   * Runs the comparison.
   *
   * @param settling waits for the writers to catch up before differing documents are re-checked;
   *     {@link Settling#NONE} for indexes nothing writes to
   * @throws dev.agentbrain.storage.NoSuchIndexException when either physical index does not exist
   * @throws dev.agentbrain.storage.StorageUnavailableException when a backend cannot be reached
   */
  public ReconciliationResult run(Settling settling) throws InterruptedException {
    Instant started = Instant.now();
    long begun = System.nanoTime();
    scan(left, true);
    scan(right, false);
    boolean settled = suspects.isEmpty() || settling.awaitCaughtUp();
    long resolved = 0;
    List<String> batch = new ArrayList<>();
    for (String suspect : suspects) {
      batch.add(suspect);
      if (batch.size() == options.pageSize()) {
        resolved += recheck(batch);
        batch.clear();
      }
    }
    resolved += recheck(batch);
    for (Difference.Kind kind : Difference.Kind.values()) {
      counts.putIfAbsent(kind, 0L);
    }
    return new ReconciliationResult(
        left.label(),
        right.label(),
        started,
        Duration.ofNanos(System.nanoTime() - begun),
        documents,
        chunks,
        resolved,
        settled,
        counts,
        named);
  }

  /** Walks one side's documents; every document that differs becomes a suspect. */
  private void scan(IndexSide side, boolean first) {
    Set<String> previousPage = Set.of();
    String cursor = ChunkScan.DocumentPage.FIRST;
    while (true) {
      ChunkScan.DocumentPage page =
          side.scan().documents(side.physicalName(), cursor, options.pageSize());
      List<String> fresh = new ArrayList<>();
      for (String id : page.documentIds()) {
        // a scan by chunk lists a document again when its chunks straddle two pages
        if (!previousPage.contains(id) && !(!first && suspects.contains(id))) {
          fresh.add(id);
        }
      }
      for (Difference difference : compare(fresh, first)) {
        if (suspects.size() < options.maxSuspects()) {
          suspects.add(difference.documentId());
        } else if (!suspects.contains(difference.documentId())) {
          report(difference);
        }
      }
      previousPage = Set.copyOf(page.documentIds());
      Optional<String> next = page.next();
      if (next.isEmpty()) {
        return;
      }
      cursor = next.get();
    }
  }

  /** Compares the suspects again; returns how many now agree. */
  private long recheck(List<String> batch) {
    if (batch.isEmpty()) {
      return 0;
    }
    List<Difference> still = compare(batch, null);
    still.forEach(this::report);
    return batch.size() - still.size();
  }

  private void report(Difference difference) {
    counts.merge(difference.kind(), 1L, Long::sum);
    if (named.size() < options.maxNamed()) {
      named.add(difference);
    }
  }

  /**
   * Compares these documents on both sides.
   *
   * @param firstPass true in the left pass (documents and chunks are counted), false in the right
   *     pass (only documents the left side lacks are counted), null in the re-check
   */
  private List<Difference> compare(Collection<String> documentIds, Boolean firstPass) {
    if (documentIds.isEmpty()) {
      return List.of();
    }
    Map<String, Map<String, ChunkRecord>> leftChunks = byDocument(left, documentIds);
    Map<String, Map<String, ChunkRecord>> rightChunks = byDocument(right, documentIds);
    List<Difference> differences = new ArrayList<>();
    for (String id : documentIds) {
      Map<String, ChunkRecord> l = leftChunks.getOrDefault(id, Map.of());
      Map<String, ChunkRecord> r = rightChunks.getOrDefault(id, Map.of());
      if (Boolean.TRUE.equals(firstPass)) {
        documents++;
        chunks += l.size();
      } else if (Boolean.FALSE.equals(firstPass) && l.isEmpty() && !r.isEmpty()) {
        documents++;
      }
      compare(id, l, r).ifPresent(differences::add);
    }
    return differences;
  }

  private Optional<Difference> compare(
      String id, Map<String, ChunkRecord> l, Map<String, ChunkRecord> r) {
    if (l.isEmpty() && r.isEmpty()) {
      return Optional.empty(); // deleted from both while the scan ran
    }
    if (r.isEmpty()) {
      return Optional.of(
          new Difference(
              id, Difference.Kind.MISSING_RIGHT, l.size() + " chunk(s) only on the left"));
    }
    if (l.isEmpty()) {
      return Optional.of(
          new Difference(
              id, Difference.Kind.MISSING_LEFT, r.size() + " chunk(s) only on the right"));
    }
    long leftVersion = l.values().iterator().next().documentVersion();
    long rightVersion = r.values().iterator().next().documentVersion();
    // a clock version (an index built before log versions) and a log version may hold the same
    // text: then the chunks below decide
    if (leftVersion != rightVersion && DocumentVersions.comparable(leftVersion, rightVersion)) {
      return Optional.of(
          new Difference(
              id,
              Difference.Kind.VERSION,
              "version "
                  + DocumentVersions.describe(leftVersion)
                  + " on the left, "
                  + DocumentVersions.describe(rightVersion)
                  + " on the right"));
    }
    if (!l.keySet().equals(r.keySet())) {
      Set<String> onlyLeft = new TreeSet<>(l.keySet());
      onlyLeft.removeAll(r.keySet());
      Set<String> onlyRight = new TreeSet<>(r.keySet());
      onlyRight.removeAll(l.keySet());
      return Optional.of(
          new Difference(
              id,
              Difference.Kind.CHUNK_IDS,
              "only on the left: " + onlyLeft + "; only on the right: " + onlyRight));
    }
    List<String> content = new ArrayList<>();
    List<String> vectors = new ArrayList<>();
    for (String chunkId : new TreeSet<>(l.keySet())) {
      ChunkRecord a = l.get(chunkId);
      ChunkRecord b = r.get(chunkId);
      if (!a.contentHash().equals(b.contentHash()) || !a.text().equals(b.text())) {
        content.add(chunkId);
      }
      double distance = maxAbsoluteDifference(a.embedding(), b.embedding());
      if (distance > options.vectorTolerance()) {
        vectors.add(chunkId + " (max |Δ| " + String.format("%.3g", distance) + ")");
      }
    }
    if (!content.isEmpty()) {
      return Optional.of(
          new Difference(id, Difference.Kind.CONTENT, "text or content hash differs: " + content));
    }
    if (!vectors.isEmpty()) {
      return Optional.of(new Difference(id, Difference.Kind.VECTOR, "vectors differ: " + vectors));
    }
    return Optional.empty();
  }

  /** The largest component difference; infinite when the lengths differ. */
  static double maxAbsoluteDifference(float[] a, float[] b) {
    if (a.length != b.length) {
      return Double.POSITIVE_INFINITY;
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  private static Map<String, Map<String, ChunkRecord>> byDocument(
      IndexSide side, Collection<String> documentIds) {
    Map<String, Map<String, ChunkRecord>> grouped = new HashMap<>();
    for (ChunkRecord chunk : side.scan().chunksOf(side.physicalName(), documentIds)) {
      grouped.computeIfAbsent(chunk.documentId(), k -> new HashMap<>()).put(chunk.chunkId(), chunk);
    }
    return grouped;
  }
}
