package dev.agentbrain.publish;

import java.util.ArrayList;
import java.util.List;

/**
 * What a publish did.
 *
 * @param published documents sent (new or changed), or that would be sent in a dry run
 * @param unchanged documents whose content hash equals what the topic holds: not sent
 * @param deleted tombstones sent for documents whose files disappeared ({@code --sync})
 * @param skipped files left out, with the reason (hidden, ignored, binary, ...): not errors
 * @param failed files that should have been published and were not, with the reason
 * @param warnings files published with a repair (e.g. invalid UTF-8), with what was repaired
 * @param bytesRead bytes of every file read
 * @param dryRun true when nothing was sent
 */
public record PublishSummary(
    int published,
    int unchanged,
    int deleted,
    List<SourceProblem> skipped,
    List<SourceProblem> failed,
    List<SourceProblem> warnings,
    long bytesRead,
    boolean dryRun) {

  public PublishSummary {
    skipped = List.copyOf(skipped);
    failed = List.copyOf(failed);
    warnings = List.copyOf(warnings);
  }

  /** True when nothing failed. */
  public boolean ok() {
    return failed.isEmpty();
  }

  /** The sum of two summaries, e.g. of two folders published in one command. */
  public PublishSummary plus(PublishSummary other) {
    return new PublishSummary(
        published + other.published,
        unchanged + other.unchanged,
        deleted + other.deleted,
        concat(skipped, other.skipped),
        concat(failed, other.failed),
        concat(warnings, other.warnings),
        bytesRead + other.bytesRead,
        dryRun || other.dryRun);
  }

  /** Nothing done yet. */
  public static PublishSummary empty(boolean dryRun) {
    return new PublishSummary(0, 0, 0, List.of(), List.of(), List.of(), 0, dryRun);
  }

  private static <T> List<T> concat(List<T> a, List<T> b) {
    List<T> all = new ArrayList<>(a);
    all.addAll(b);
    return all;
  }
}
