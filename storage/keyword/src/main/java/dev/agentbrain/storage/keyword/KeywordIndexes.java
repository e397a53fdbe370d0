package dev.agentbrain.storage.keyword;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.ContractMismatchException;
import dev.agentbrain.storage.IndexSpec;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.KeywordReadiness;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Stream;
import org.apache.lucene.store.LockObtainFailedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local BM25 keyword indexes (Apache Lucene), one directory per physical index under a root: the
 * keyword search of a backend that has none of its own (Chroma), added to its reads by {@link
 * KeywordBackedRetriever}. Each is a view that can be rebuilt at any time from the backend and the
 * chunks log, so a directory built for another spec is simply rebuilt.
 *
 * <p>Scores follow {@link Bm25} and {@link dev.agentbrain.storage.Similarity#fromBm25} from exact
 * statistics, as {@code PostgresStore} computes them. Thread-safe.
 */
public final class KeywordIndexes implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(KeywordIndexes.class);

  private final Path root;
  private final Bm25 bm25;
  private final ConcurrentMap<String, KeywordIndex> indexes = new ConcurrentHashMap<>();
  private volatile KeywordReadiness readiness =
      new KeywordReadiness(false, 0, "the keyword index is not fed yet");

  /**
   * @param root directory that holds one subdirectory per physical index (created when missing)
   */
  public KeywordIndexes(Path root, Bm25 bm25) {
    this.root = root;
    this.bm25 = bm25;
  }

  /**
   * Opens the keyword index of {@code spec}, creating it when missing and starting it afresh when
   * the one on disk was built for another spec.
   */
  public void ensureIndex(IndexSpec spec) {
    indexes.computeIfAbsent(spec.physicalName(), name -> open(spec));
    KeywordIndex index = indexes.get(spec.physicalName());
    if (!index.spec().equals(spec)) {
      drop(spec.physicalName());
      indexes.computeIfAbsent(spec.physicalName(), name -> open(spec));
    }
  }

  /** The physical indexes open here. */
  public List<String> names() {
    return indexes.keySet().stream().sorted().toList();
  }

  /** Whether the index's first build finished (false when it is not open). */
  public boolean complete(String physicalName) {
    KeywordIndex index = indexes.get(physicalName);
    return index != null && index.complete();
  }

  /** The next log offset to apply per partition (empty before the first build finished). */
  public Map<Integer, Long> offsets(String physicalName) {
    return require(physicalName).offsets();
  }

  /**
   * Applies writes exactly as a backend's {@link dev.agentbrain.storage.ChunkWriter#write} does,
   * and records the log offsets they came up to. Searches see them on return; {@link #commit} makes
   * them durable.
   */
  public void apply(String physicalName, List<ChunkWrite> writes, Map<Integer, Long> nextOffsets) {
    KeywordIndex index = require(physicalName);
    io(physicalName, () -> index.apply(writes, nextOffsets));
  }

  /** Throws away the index's contents, to build it again from the start. */
  public void clear(String physicalName) {
    KeywordIndex index = require(physicalName);
    io(physicalName, index::clear);
  }

  /** Marks the first build finished; the log is to be read on from {@code startOffsets}. */
  public void completeBuild(String physicalName, Map<Integer, Long> startOffsets) {
    KeywordIndex index = require(physicalName);
    io(physicalName, () -> index.completeBuild(startOffsets));
  }

  /** Makes everything applied so far durable, with its offsets. */
  public void commit() {
    indexes.forEach((name, index) -> io(name, index::commit));
  }

  /**
   * Keyword search; see {@link dev.agentbrain.storage.Retriever#keywordSearch}. Exhaustive: every
   * live chunk that holds a query term is scored (no pruning), so the ranking is the exact BM25 top
   * k by construction.
   *
   * @throws StorageUnavailableException while the index is not open or its first build runs
   */
  public List<SearchHit> search(String physicalName, KeywordQuery query) {
    KeywordIndex index = indexes.get(physicalName);
    if (index == null || !index.complete()) {
      throw new StorageUnavailableException(
          "the keyword index of %s is still being built; retry shortly, or use mode=vector"
              .formatted(physicalName),
          null);
    }
    try {
      return index.search(query, bm25);
    } catch (IOException e) {
      throw failure(physicalName, e);
    }
  }

  /** Live chunks in the keyword index. */
  public long count(String physicalName) {
    try {
      return require(physicalName).count();
    } catch (IOException e) {
      throw failure(physicalName, e);
    }
  }

  /** Closes and deletes the index's directory; nothing happens when there is none. */
  public void drop(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    KeywordIndex index = indexes.remove(physicalName);
    try {
      if (index != null) {
        index.close();
      }
      Path directory = root.resolve(physicalName);
      if (Files.exists(directory)) {
        try (Stream<Path> files = Files.walk(directory)) {
          for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(file);
          }
        }
        log.info("dropped keyword index {}", physicalName);
      }
    } catch (IOException e) {
      throw failure(physicalName, e);
    }
  }

  /** How far behind the keyword indexes are, as the feed last reported. */
  public KeywordReadiness readiness() {
    return readiness;
  }

  /** Called by whatever feeds the indexes. */
  public void reportReadiness(KeywordReadiness readiness) {
    this.readiness = readiness;
  }

  /** The spec the index was opened with, if it is open. */
  public Optional<IndexSpec> spec(String physicalName) {
    return Optional.ofNullable(indexes.get(physicalName)).map(KeywordIndex::spec);
  }

  @Override
  public void close() {
    for (String name : List.copyOf(indexes.keySet())) {
      KeywordIndex index = indexes.remove(name);
      io(name, index::close);
    }
  }

  private KeywordIndex open(IndexSpec spec) {
    Path directory = root.resolve(spec.physicalName());
    try {
      Files.createDirectories(directory);
      try {
        return KeywordIndex.open(directory, spec);
      } catch (ContractMismatchException e) {
        log.info(
            "keyword index {} was built for another spec ({}); rebuilding it",
            spec.physicalName(),
            e.getMessage());
        try (Stream<Path> files = Files.list(directory)) {
          for (Path file : files.toList()) {
            Files.delete(file);
          }
        }
        return KeywordIndex.open(directory, spec);
      }
    } catch (IOException e) {
      throw failure(spec.physicalName(), e);
    }
  }

  private KeywordIndex require(String physicalName) {
    KeywordIndex index = indexes.get(physicalName);
    if (index == null) {
      throw new StorageException(
          "the keyword index of %s is not open here".formatted(physicalName));
    }
    return index;
  }

  private interface IoAction {
    void run() throws IOException;
  }

  private void io(String physicalName, IoAction action) {
    try {
      action.run();
    } catch (IOException e) {
      throw failure(physicalName, e);
    } catch (UncheckedIOException e) {
      throw failure(physicalName, e.getCause());
    }
  }

  private StorageException failure(String physicalName, IOException e) {
    if (e instanceof LockObtainFailedException) {
      // another process keeps it current; deleting the directory, as the generic advice says,
      // would pull the index from under that process
      return new StorageException(
          "the keyword index of %s under %s is in use by another process (another agent-brain serve with the same AGENT_BRAIN_HOME?); stop that one, or give this one an AGENT_BRAIN_HOME of its own"
              .formatted(physicalName, root),
          e);
    }
    return new StorageException(
        "the keyword index of %s under %s cannot be read or written (disk full or files removed?); delete its directory to rebuild it"
            .formatted(physicalName, root),
        e);
  }
}
