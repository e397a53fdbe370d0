package dev.agentbrain.jobs;

import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.contract.LiveContracts;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Which documents of a job each backend serves yet: a published document counts once every chunk
 * the backend holds of it is of the published version or a newer one, a removed document once the
 * backend holds none of it. Reads the live physical index of the job's index, so a switch-over
 * under way is followed. Each document is confirmed once per backend and not read again.
 */
public final class Searchability {

  private static final int BATCH = 100;

  /**
   * The version a backend must reach for one document.
   *
   * @param version the version the event carried (the publisher's clock)
   * @param logOffset the offset of the document's record in the documents topic, -1 if unknown
   */
  record Target(long version, long logOffset) {
    boolean reachedBy(long stored) {
      // stores versioned by the log hold DocumentVersions.fromLog(offset); older indexes the
      // clock's
      return DocumentVersions.isFromLog(stored) && logOffset >= 0
          ? stored >= DocumentVersions.fromLog(logOffset)
          : stored >= version;
    }
  }

  private final Map<Backend, ChunkScan> backends;
  private final Supplier<Backend> primary;
  private final LiveContracts contracts;

  /**
   * @param backends the stores to check (every backend that the sinks write)
   * @param primary the backend that answers queries now (read on every check)
   * @param contracts the live contract of each index
   */
  public Searchability(
      Map<Backend, ChunkScan> backends, Supplier<Backend> primary, LiveContracts contracts) {
    this.backends = new EnumMap<>(backends);
    this.primary = primary;
    this.contracts = contracts;
  }

  /**
   * Starts following documents of {@code index}.
   *
   * @param published document id to the version the backends must reach
   * @param removed ids of documents that must be gone
   */
  Tracker track(String index, Map<String, Target> published, Set<String> removed) {
    return new Tracker(index, published, removed);
  }

  /** What each backend serves of one job's documents. Not thread-safe. */
  final class Tracker {
    private final String index;
    private final Map<String, Target> published;
    private final Set<String> removed;
    private final Map<Backend, Set<String>> pending = new EnumMap<>(Backend.class);
    private final Map<Backend, Long> chunks = new EnumMap<>(Backend.class);

    private Tracker(String index, Map<String, Target> published, Set<String> removed) {
      this.index = index;
      this.published = Map.copyOf(published);
      this.removed = Set.copyOf(removed);
      for (Backend backend : backends.keySet()) {
        Set<String> all = new HashSet<>(published.keySet());
        all.addAll(removed);
        pending.put(backend, all);
        chunks.put(backend, 0L);
      }
    }

    /**
     * Reads what each backend holds of the documents not yet confirmed. A backend that does not
     * answer is asked again on the next check.
     */
    void check() {
      Optional<String> physical =
          contracts.of(index).map(c -> ContractRegistry.physicalName(c.getIndex(), c.getVersion()));
      if (physical.isEmpty()) {
        return;
      }
      for (Map.Entry<Backend, ChunkScan> backend : backends.entrySet()) {
        try {
          check(backend.getKey(), backend.getValue(), physical.get());
        } catch (NoSuchIndexException e) {
          // no chunk written yet: only removals are confirmed
          pending.get(backend.getKey()).removeAll(removed);
        } catch (StorageException e) {
          // not reachable now; the next check asks again
        }
      }
    }

    private void check(Backend backend, ChunkScan scan, String physical) {
      List<String> ids = new ArrayList<>(pending.get(backend));
      for (int from = 0; from < ids.size(); from += BATCH) {
        List<String> batch = ids.subList(from, Math.min(ids.size(), from + BATCH));
        Map<String, List<ChunkRecord>> held = new HashMap<>();
        for (ChunkRecord chunk : scan.chunksOf(physical, batch)) {
          held.computeIfAbsent(chunk.documentId(), k -> new ArrayList<>()).add(chunk);
        }
        for (String id : batch) {
          List<ChunkRecord> of = held.getOrDefault(id, List.of());
          if (removed.contains(id)
              ? of.isEmpty()
              : !of.isEmpty()
                  && of.stream().allMatch(c -> published.get(id).reachedBy(c.documentVersion()))) {
            pending.get(backend).remove(id);
            chunks.merge(backend, (long) of.size(), Long::sum);
          }
        }
      }
    }

    /** Whether the primary backend serves every published document and none of the removed. */
    boolean primaryDone() {
      return pendingInPrimary() == 0;
    }

    /** Documents the primary backend does not serve as the job left them yet. */
    int pendingInPrimary() {
      return pending.getOrDefault(primary.get(), Set.of()).size();
    }

    /** Chunks of confirmed documents per backend id. */
    Map<String, Long> chunksSearchable() {
      Map<String, Long> byId = new LinkedHashMap<>();
      chunks.forEach((backend, count) -> byId.put(backend.id(), count));
      return byId;
    }
  }
}
