package dev.agentbrain.jobs;

import dev.agentbrain.publish.SourceProblem;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * An indexing job as every API replica sees it (read from the jobs topic).
 *
 * @param id job id (a UUID)
 * @param request what was asked
 * @param state where it is
 * @param submittedAt when it was accepted
 * @param updatedAt when its state last changed
 * @param files what became of its files (documents, for the kinds without files)
 * @param problems the files that failed, with the reason (at most {@value #MAX_PROBLEMS})
 * @param chunksSearchable per backend id ({@code postgres}, {@code chroma}): chunks of the job's
 *     documents that backend serves so far
 * @param documentsPending documents the primary backend does not serve yet (or still holds, for
 *     removals)
 * @param cancelRequested whether someone asked it to stop
 * @param detail why it failed or was cancelled; empty otherwise
 */
public record Job(
    String id,
    JobRequest request,
    JobState state,
    Instant submittedAt,
    Instant updatedAt,
    Files files,
    List<SourceProblem> problems,
    Map<String, Long> chunksSearchable,
    int documentsPending,
    boolean cancelRequested,
    String detail) {

  /** Failed files kept on a job; the rest are counted only. */
  public static final int MAX_PROBLEMS = 50;

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(request, "request");
    Objects.requireNonNull(state, "state");
    files = Objects.requireNonNullElse(files, Files.NONE);
    problems = problems == null ? List.of() : List.copyOf(problems);
    chunksSearchable = chunksSearchable == null ? Map.of() : Map.copyOf(chunksSearchable);
    detail = Objects.requireNonNullElse(detail, "");
  }

  /**
   * Counts of files (or given documents).
   *
   * @param read files read so far
   * @param published sent (new or changed)
   * @param unchanged not sent: the log holds the same text
   * @param deleted tombstoned (sync, or a removed folder)
   * @param skipped left out (hidden, ignored, binary, not in the preset)
   * @param failed not published (unreadable, too large, refused by Kafka)
   */
  public record Files(
      int read, int published, int unchanged, int deleted, int skipped, int failed) {
    public static final Files NONE = new Files(0, 0, 0, 0, 0, 0);
  }

  /** A queued job, as {@link IndexingJobs#submit} accepts it. */
  static Job queued(String id, JobRequest request, Instant now) {
    return new Job(
        id, request, JobState.QUEUED, now, now, Files.NONE, List.of(), Map.of(), 0, false, "");
  }

  Job withFiles(Files files, List<SourceProblem> problems) {
    return progress(
        files,
        problems.subList(0, Math.min(problems.size(), MAX_PROBLEMS)),
        chunksSearchable,
        documentsPending);
  }

  Job withSearchable(Map<String, Long> chunks, int pending) {
    return progress(files, problems, chunks, pending);
  }

  /**
   * In {@code state} from {@code now} on, with {@code detail} (empty unless failed or cancelled).
   */
  Job in(JobState state, String detail, Instant now) {
    return status(state, now, cancelRequested, detail);
  }

  Job withCancelRequested() {
    return status(state, updatedAt, true, detail);
  }

  /** This job with other counts; its state stays. */
  private Job progress(
      Files read, List<SourceProblem> failed, Map<String, Long> searchable, int pending) {
    return new Job(
        id,
        request,
        state,
        submittedAt,
        updatedAt,
        read,
        failed,
        searchable,
        pending,
        cancelRequested,
        detail);
  }

  /** This job in another state; its counts stay. */
  private Job status(JobState next, Instant at, boolean cancel, String why) {
    return new Job(
        id,
        request,
        next,
        submittedAt,
        at,
        files,
        problems,
        chunksSearchable,
        documentsPending,
        cancel,
        why);
  }
}
