package dev.agentbrain.jobs;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a job is. */
public enum JobState {
  /** Accepted, waiting for the runner (jobs run one at a time, in the order they were asked). */
  @JsonProperty("queued")
  QUEUED,
  /** Reading files and publishing them to the document log. */
  @JsonProperty("publishing")
  PUBLISHING,
  /** Published; waiting until the primary backend holds every document of the job. */
  @JsonProperty("indexing")
  INDEXING,
  /** Every document of the job is searchable in the primary backend (removed ones are gone). */
  @JsonProperty("done")
  DONE,
  /** Stopped by an error; {@link Job#detail()} says which and what to do. */
  @JsonProperty("failed")
  FAILED,
  /** Stopped on request; what was published before stays published. */
  @JsonProperty("cancelled")
  CANCELLED;

  /** Whether the job has ended (done, failed or cancelled). */
  public boolean finished() {
    return this == DONE || this == FAILED || this == CANCELLED;
  }
}
