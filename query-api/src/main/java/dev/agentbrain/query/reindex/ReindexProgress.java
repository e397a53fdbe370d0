package dev.agentbrain.query.reindex;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.topics.GroupProgress;
import dev.agentbrain.topics.Topics;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.admin.Admin;

/**
 * Progress of the reindex into one contract version, from what any host can read: the reindex's
 * committed offsets on the document log against the log's end offsets (Kafka), and the chunks each
 * backend holds in the new version. Rates and the time left come from the previous sample of the
 * same version, so the caller samples periodically. Thread-safe.
 */
public final class ReindexProgress {

  /**
   * One sample.
   *
   * @param documentsDone log positions the reindex has committed (offsets of a compacted log are
   *     not contiguous: a position, not a count of documents)
   * @param documentsTotal end of the log, summed over partitions
   * @param chunks chunks stored in the version, by backend; -1 where the backend did not answer
   * @param documentsPerSecond log positions per second since the previous sample; 0 before it
   * @param secondsLeft estimated time until caught up; 0 when caught up, -1 when unknown
   */
  public record Snapshot(
      @JsonProperty("physical_index") String physical,
      @JsonProperty("version") int version,
      @JsonProperty("documents_done") long documentsDone,
      @JsonProperty("documents_total") long documentsTotal,
      @JsonProperty("caught_up") boolean caughtUp,
      @JsonProperty("chunks") Map<String, Long> chunks,
      @JsonProperty("documents_per_second") double documentsPerSecond,
      @JsonProperty("eta_seconds") double secondsLeft) {

    /** {@code documentsDone / documentsTotal}, 0..1. */
    public double fraction() {
      return new GroupProgress(documentsDone, documentsTotal).fraction();
    }
  }

  private record Previous(long done, long nanos) {}

  private final Admin admin;
  private final Topics topics;
  private final Map<String, Retriever> backends;
  private final Map<String, Previous> previous = new ConcurrentHashMap<>();

  /**
   * @param backends the stores to count chunks in, by backend name; not closed here
   */
  public ReindexProgress(Admin admin, Topics topics, Map<String, Retriever> backends) {
    this.admin = admin;
    this.topics = topics;
    this.backends = Collections.unmodifiableMap(new LinkedHashMap<>(backends)); // in order
  }

  /**
   * Samples the reindex of {@code index} into {@code version}.
   *
   * @throws IllegalStateException when Kafka does not answer in time
   */
  public Snapshot sample(String index, int version) {
    return sample(index, version, topics.reindexApplicationId(index, version));
  }

  /**
   * Samples the reindex of {@code index} into {@code version} that runs as {@code applicationId}
   * (an in-place rebuild has an id of its own).
   */
  public Snapshot sample(String index, int version, String applicationId) {
    String physical = ContractRegistry.physicalName(index, version);
    GroupProgress documents = GroupProgress.of(admin, applicationId, topics.documents().name());
    Map<String, Long> chunks = new LinkedHashMap<>();
    backends.forEach((name, store) -> chunks.put(name, count(store, physical)));
    long now = System.nanoTime();
    Previous last = previous.put(physical, new Previous(documents.done(), now));
    double rate = 0;
    double left = -1;
    if (last != null && now > last.nanos()) {
      rate = Math.max(0, documents.done() - last.done()) / ((now - last.nanos()) / 1e9);
      if (rate > 0) {
        left = (documents.total() - documents.done()) / rate;
      }
    }
    if (documents.caughtUp()) {
      left = 0;
    }
    return new Snapshot(
        physical,
        version,
        documents.done(),
        documents.total(),
        documents.caughtUp(),
        chunks,
        rate,
        left);
  }

  private static long count(Retriever store, String physical) {
    try {
      return store.count(physical, Filter.ALL);
    } catch (NoSuchIndexException e) {
      return 0; // no chunk written yet: the sinks create it on the first one
    } catch (StorageException e) {
      return -1;
    }
  }
}
