package dev.agentbrain.storage.reconciliation;

import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.IndexSpec;
import java.util.Objects;

/**
 * One side of a reconciliation: a physical index in a backend.
 *
 * @param label how reports name this side, e.g. {@code postgres:docs_v1}
 */
public record IndexSide(String label, ChunkScan scan, String physicalName) {
  public IndexSide {
    Objects.requireNonNull(label, "label");
    Objects.requireNonNull(scan, "scan");
    IndexSpec.requireValidName(physicalName);
  }

  /** A side labelled {@code <backend>:<physical name>}. */
  public static IndexSide of(String backend, ChunkScan scan, String physicalName) {
    return new IndexSide(backend + ":" + physicalName, scan, physicalName);
  }
}
