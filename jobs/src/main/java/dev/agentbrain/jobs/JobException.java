package dev.agentbrain.jobs;

/**
 * A job or folder request that cannot be served; the message says what happened and what to do, and
 * {@link #reason()} lets a caller pick its answer (an HTTP status, an MCP error).
 */
public final class JobException extends RuntimeException {

  /** Why a request was refused. */
  public enum Reason {
    /** The request itself is wrong (a missing field, a bad glob, a relative path). */
    INVALID,
    /** The folder lies outside the roots this server may index. */
    NOT_ALLOWED,
    /** No such job, folder or path. */
    NOT_FOUND,
    /** The request collides with what the index holds (a folder name taken by another folder). */
    CONFLICT,
    /** Kafka or the registry did not answer; a retry later may succeed. */
    UNAVAILABLE
  }

  private final Reason reason;

  public JobException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
