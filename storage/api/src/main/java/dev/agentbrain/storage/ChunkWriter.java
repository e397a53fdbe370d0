package dev.agentbrain.storage;

import java.util.List;

/**
 * Writes chunks into one backend. Implementations are thread-safe.
 *
 * <p>Writes are idempotent: applying a batch twice (as after a crash between the write and the
 * offset commit) leaves the same state as applying it once.
 */
public interface ChunkWriter extends AutoCloseable {

  /**
   * Creates the physical index when it does not exist; when it exists, checks that it matches
   * {@code spec} and throws {@link ContractMismatchException} naming both values when it does not.
   */
  void ensureIndex(IndexSpec spec);

  /**
   * Applies the writes with the same result as applying them one by one in order. Every vector is
   * checked before anything is sent. On PostgreSQL the whole list is one transaction; Chroma has no
   * transactions, so a failure part-way leaves a prefix applied (safe: the caller retries the whole
   * list, and writes are idempotent).
   *
   * @throws NoSuchIndexException when the physical index does not exist
   * @throws ContractMismatchException when a vector's length is not the index's dimensions
   * @throws StorageUnavailableException when the backend cannot be reached (retry later)
   * @throws StorageException for anything else
   */
  void write(String physicalName, List<ChunkWrite> writes);

  /** Removes the physical index and everything in it; no error when it does not exist. */
  void dropIndex(String physicalName);

  @Override
  void close();
}
