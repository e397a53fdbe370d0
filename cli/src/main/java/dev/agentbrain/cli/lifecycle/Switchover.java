package dev.agentbrain.cli.lifecycle;

import dev.agentbrain.cli.TopicContents;
import dev.agentbrain.cli.Wiring;
import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Switching the live version of an index: promote (after {@link PromotionCheck}) and roll back.
 * Both are one write to the registry's alias history, which every query API and indexer sees within
 * seconds; both backends follow the same alias, so they switch together.
 */
public final class Switchover {

  /**
   * How a rollback went.
   *
   * @param from the version that was live
   * @param to the version that is live now
   * @param missedDocuments documents of the log published (or republished) since {@code to} stopped
   *     being live: the old version does not have them (deletes since then are not counted, and are
   *     not applied to it either)
   */
  public record Rollback(int from, int to, long missedDocuments) {}

  private Switchover() {}

  /**
   * Verifies {@code version} against the log and the backends and, when every check passes, makes
   * it live. Nothing changes when a check fails.
   */
  public static PromotionCheck.Result promote(Wiring wiring, String index, int version) {
    ContractRegistry contracts = wiring.contracts();
    EmbeddingContract target =
        contracts
            .version(index, version)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "index "
                            + index
                            + " has no version "
                            + version
                            + " — see `agent-brain index list`"));
    List<Wiring.BackendStore> backends = new ArrayList<>();
    try {
      buildVectorIndex(wiring, target);
      wiring.sinkBackends().forEach(b -> backends.add(wiring.store(b)));
      PromotionCheck.Result result = PromotionCheck.verify(wiring, target, backends);
      if (result.passed()) {
        contracts.promote(index, version);
      }
      return result;
    } finally {
      backends.forEach(Wiring.BackendStore::close);
    }
  }

  /**
   * Prepares a new version for a replay: on PostgreSQL its table is created without the HNSW index,
   * which {@link #buildVectorIndex} builds once the rows are there (load-then-build was 1.6-4.4x
   * faster than build-first on the SciFact vectors, {@code make bench-hnsw}). Chroma builds its own
   * index as it goes.
   */
  public static void prepareBulkLoad(Wiring wiring, EmbeddingContract version) {
    if (wiring.sinkBackends().contains(Backend.POSTGRES)) {
      try (PostgresStore postgres = wiring.postgres(1)) {
        postgres.ensureIndexForBulkLoad(ChunkWrites.spec(version));
      }
    }
  }

  /**
   * Builds the version's HNSW index on PostgreSQL when it has none (a no-op otherwise): with 1 GB
   * of maintenance memory and one parallel worker, leaving a core for the live version's queries,
   * and without blocking the sink's writes.
   *
   * @return how long it took, empty when PostgreSQL is not a sink or the version has no table
   */
  public static Optional<Duration> buildVectorIndex(Wiring wiring, EmbeddingContract version) {
    if (!wiring.sinkBackends().contains(Backend.POSTGRES)) {
      return Optional.empty();
    }
    try (PostgresStore postgres = wiring.postgres(1)) {
      return Optional.of(
          postgres.buildVectorIndex(
              ContractRegistry.physicalName(version.getIndex(), version.getVersion()), "1GB", 1));
    } catch (NoSuchIndexException e) {
      return Optional.empty();
    }
  }

  /**
   * Makes the version that was live before the current one live again, after checking that every
   * backend still holds it, and reports how stale it is.
   */
  public static Rollback rollback(Wiring wiring, String index) {
    ContractRegistry contracts = wiring.contracts();
    int current =
        contracts
            .live(index)
            .orElseThrow(() -> new IllegalArgumentException("index " + index + " does not exist"))
            .getVersion();
    ContractRegistry.Switch previous =
        contracts
            .previous(index)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "index "
                            + index
                            + " has never switched versions: there is nothing to roll back to"));
    String physical = ContractRegistry.physicalName(index, previous.version());
    for (Backend backend : wiring.sinkBackends()) {
      try (Wiring.BackendStore store = wiring.store(backend)) {
        store.reader().count(physical, Filter.ALL);
      } catch (NoSuchIndexException e) {
        throw new IllegalArgumentException(
            backend.id()
                + " no longer holds "
                + physical
                + " (dropped?) — rebuild it with `agent-brain reindex --index "
                + index
                + " --version "
                + previous.version()
                + "` first");
      }
    }
    Map<String, DocumentEvent> latest =
        TopicContents.latest(wiring.bootstrap(), wiring.topics().documents(), id -> true);
    long missed =
        latest.values().stream()
            .filter(e -> e.getIndex().equals(index))
            .filter(e -> e.getPublishedAt().isAfter(previous.at()))
            .count();
    contracts.promote(index, previous.version());
    return new Rollback(current, previous.version(), missed);
  }

  /**
   * Removes a physical index from every backend the indexer writes (no error where it is absent)
   * and returns those backends. The caller makes sure it is not the live version, or means it.
   */
  public static List<Backend> drop(Wiring wiring, String physical) {
    for (Backend backend : wiring.sinkBackends()) {
      try (Wiring.BackendStore store = wiring.store(backend)) {
        store.writer().dropIndex(physical);
      }
    }
    return wiring.sinkBackends();
  }

  /**
   * Forgets the reindex that built a version: its consumer group (committed offsets) and the
   * internal topics of its Streams application (changelogs of its stores), so a dropped version
   * leaves nothing behind in Kafka. Run it only when that reindex is stopped.
   *
   * @return the internal topics deleted
   */
  public static List<String> forgetReindex(Wiring wiring, String index, int version)
      throws InterruptedException {
    String applicationId = wiring.topics().reindexApplicationId(index, version);
    try (Admin admin = wiring.admin()) {
      List<String> internal =
          admin.listTopics().names().get().stream()
              .filter(name -> name.startsWith(applicationId + "-"))
              .sorted()
              .toList();
      if (!internal.isEmpty()) {
        admin.deleteTopics(internal).all().get();
      }
      try {
        admin.deleteConsumerGroups(List.of(applicationId)).all().get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof GroupIdNotFoundException)) {
          throw new IllegalStateException(
              "could not remove the consumer group "
                  + applicationId
                  + ": "
                  + e.getCause().getMessage()
                  + " — is that reindex still running? Stop it first",
              e);
        }
      }
      return internal;
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "could not remove the Kafka topics of "
              + applicationId
              + ": "
              + e.getCause().getMessage(),
          e);
    }
  }

  /** The live version of {@code index}, if it has one. */
  public static Optional<Integer> liveVersion(Wiring wiring, String index) {
    return wiring.contracts().live(index).map(EmbeddingContract::getVersion);
  }
}
