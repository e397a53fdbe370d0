package dev.agentbrain.storage.reconciliation;

/**
 * Waits until both sides of a reconciliation have every write that was made before the call, so
 * that a document found on one side only is judged after the other side had its chance to catch up
 * (a live pipeline writes each backend from its own consumer group, at its own pace).
 */
@FunctionalInterface
public interface Settling {

  /** For indexes nothing writes to: there is nothing to wait for. */
  Settling NONE = () -> true;

  /**
   * Blocks until the writers have caught up, or until the implementation's time limit.
   *
   * @return true when they caught up, false when the time limit passed first
   */
  boolean awaitCaughtUp() throws InterruptedException;
}
