package dev.agentbrain.cli.lifecycle;

import dev.agentbrain.cli.Wiring;
import dev.agentbrain.config.Backend;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.storage.reconciliation.IndexSide;
import dev.agentbrain.storage.reconciliation.Reconciliation;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import dev.agentbrain.storage.reconciliation.Settling;
import dev.agentbrain.topics.GroupProgress;
import dev.agentbrain.topics.Topics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * Moving an index version into another backend: a replay of the document log whose only sink is the
 * target (its chunks go to a topic of its own), then a comparison of the target with the source,
 * chunk by chunk ({@link Reconciliation}: same ids, same text, vectors within a tolerance). With
 * the same model every vector is served from the shared embedding cache, so the target gets the
 * very vectors the source holds.
 */
public final class Migration implements AutoCloseable {

  private final Wiring wiring;
  private final EmbeddingContract contract;
  private final Backend target;
  private final String applicationId;
  private final IndexerService service;

  private Migration(
      Wiring wiring,
      EmbeddingContract contract,
      Backend target,
      String applicationId,
      IndexerService service) {
    this.wiring = wiring;
    this.contract = contract;
    this.target = target;
    this.applicationId = applicationId;
    this.service = service;
  }

  /** Builds and starts the replay of {@code contract}'s version into {@code target}. */
  public static Migration start(
      Wiring wiring, EmbeddingContract contract, Backend target, IndexerService.Options options) {
    String physical = ContractRegistry.physicalName(contract.getIndex(), contract.getVersion());
    Topics pipeline = wiring.registeredTopics();
    String applicationId =
        pipeline.migrationApplicationId(contract.getIndex(), contract.getVersion(), target.id());
    Wiring.BackendStore store = wiring.store(target);
    Stage stage = target == Backend.POSTGRES ? Stage.SINK_POSTGRES : Stage.SINK_CHROMA;
    IndexerService service =
        IndexerService.migration(
            options,
            pipeline.withPrivateChunks("migrate-" + physical + "-to-" + target.id()),
            wiring.contracts(),
            contract,
            applicationId,
            new IndexerService.Sink(stage, store.writer()),
            new SimpleMeterRegistry());
    service.start();
    return new Migration(wiring, contract, target, applicationId, service);
  }

  /** The replay's Streams application id (its consumer group). */
  public String applicationId() {
    return applicationId;
  }

  /** The running replay. */
  public IndexerService service() {
    return service;
  }

  /** True when the replay has read the whole log and the target's sink has written everything. */
  public boolean caughtUp(Admin admin) {
    return GroupProgress.of(admin, applicationId, wiring.topics().documents().name()).caughtUp()
        && service.sinkLag() == 0;
  }

  /**
   * Compares the source's chunks of the version with the target's, waiting up to {@code wait} for
   * the replay to catch up before differences are re-checked.
   */
  public ReconciliationResult compare(Backend source, double tolerance, Duration wait)
      throws InterruptedException {
    String physical = ContractRegistry.physicalName(contract.getIndex(), contract.getVersion());
    try (Wiring.BackendStore from = wiring.store(source);
        Wiring.BackendStore to = wiring.store(target);
        Admin admin = wiring.admin()) {
      Settling settling =
          () -> {
            long deadline = System.nanoTime() + wait.toNanos();
            while (System.nanoTime() < deadline) {
              if (caughtUp(admin)) {
                return true;
              }
              Thread.sleep(500);
            }
            return false;
          };
      return new Reconciliation(
              IndexSide.of(source.id(), from.scan(), physical),
              IndexSide.of(target.id(), to.scan(), physical),
              new Reconciliation.Options(200, tolerance, 50, 100_000))
          .run(settling);
    }
  }

  @Override
  public void close() {
    service.close();
  }
}
