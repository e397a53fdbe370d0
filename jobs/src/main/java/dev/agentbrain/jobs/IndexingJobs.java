package dev.agentbrain.jobs;

import dev.agentbrain.publish.PublishedFolder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Indexing jobs and the folders of the indexes: the one service behind the HTTP routes under {@code
 * /index} and the MCP tools ({@code index_folder}, {@code add_documents}, {@code get_job}, {@code
 * list_jobs}, {@code wait_for_job}, {@code cancel_job}, {@code list_folders}, {@code
 * remove_folder}).
 *
 * <p>A job publishes through the same {@code FolderPublisher} as {@code agent-brain publish}, and
 * is {@link JobState#DONE} only when the primary backend serves every document it published (and no
 * longer serves the ones it removed). Jobs are kept in Kafka, not in memory: every replica lists
 * the same jobs, and a job under way when its process stops is run again (publishing is idempotent:
 * what is already on the log is not sent twice) by the next runner. Jobs run one at a time, in the
 * order they were accepted.
 *
 * <p>Thread-safe. Every method throws {@link JobException} for a request it cannot serve; the
 * message is meant for the person or agent that asked.
 */
public interface IndexingJobs {

  /**
   * Accepts a job and returns it queued; it runs in the background. Checks what can be checked at
   * once: the folder lies under an index root and exists, the folder's name is free in the index,
   * the folder to remove exists.
   *
   * @throws JobException {@code NOT_ALLOWED} for a path outside the roots ({@code ..}, a symlink
   *     leading out, or no roots configured), {@code NOT_FOUND} for a missing path or folder,
   *     {@code CONFLICT} for a taken folder name, {@code INVALID} for a malformed request
   */
  Job submit(JobRequest request);

  /** Every job the jobs topic holds, newest first. */
  List<Job> jobs();

  /** The job with this id, if there is one. */
  Optional<Job> job(String id);

  /**
   * Asks a job to stop: a queued job never starts, a running one stops after the file under way
   * (what was published stays published). A finished job is returned as it is.
   *
   * @throws JobException {@code NOT_FOUND} when there is no such job
   */
  Job cancel(String id);

  /**
   * Waits until the job has finished or {@code timeout} has passed, and returns it as it is then.
   *
   * @throws JobException {@code NOT_FOUND} when there is no such job
   * @throws InterruptedException when the waiting thread is interrupted
   */
  Job await(String id, Duration timeout) throws InterruptedException;

  /** The folders of {@code index} (of every index when empty), by index and name. */
  List<PublishedFolder> folders(Optional<String> index);
}
