package dev.agentbrain.storage.reconciliation;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What a reconciliation found.
 *
 * @param left label of the left side, e.g. {@code postgres:docs_v1}
 * @param right label of the right side
 * @param startedAt when the comparison began
 * @param took how long it took, settling included
 * @param documents distinct documents compared (on either side)
 * @param chunks chunks read on the left side in the first pass
 * @param lagResolved documents that differed at first and agreed after the writers caught up
 * @param settled false when the writers had not caught up within the time limit: the differences
 *     may then still be lag
 * @param differenceCounts how many documents differ, by kind (every kind present, zeros included)
 * @param differences the first differing documents, named (at most the configured number)
 */
public record ReconciliationResult(
    String left,
    String right,
    Instant startedAt,
    Duration took,
    long documents,
    long chunks,
    long lagResolved,
    boolean settled,
    Map<Difference.Kind, Long> differenceCounts,
    List<Difference> differences) {

  public ReconciliationResult {
    differenceCounts = Map.copyOf(differenceCounts);
    differences = List.copyOf(differences);
  }

  /** Documents that differ, in all. */
  public long differing() {
    return differenceCounts.values().stream().mapToLong(Long::longValue).sum();
  }

  /** True when the two sides hold the same documents, chunks, contents and vectors. */
  public boolean identical() {
    return differing() == 0;
  }
}
