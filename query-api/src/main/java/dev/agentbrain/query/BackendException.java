package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.StorageException;

/**
 * A backend failed while answering for one version of an index: the storage failure with where it
 * happened, so that {@link ErrorTable} can word it for a client. The storage message is for the log
 * only.
 */
public final class BackendException extends RuntimeException {

  private final Backend backend;
  private final String index;
  private final int version;
  private final StorageException failure;

  public BackendException(Backend backend, String index, int version, StorageException failure) {
    super(
        backend.id() + " failed on index " + index + " version " + version + ": " + failure,
        failure);
    this.backend = backend;
    this.index = index;
    this.version = version;
    this.failure = failure;
  }

  public Backend backend() {
    return backend;
  }

  /** The logical index. */
  public String index() {
    return index;
  }

  /** The index's live version when the backend failed. */
  public int version() {
    return version;
  }

  /** What the backend reported. */
  public StorageException failure() {
    return failure;
  }
}
