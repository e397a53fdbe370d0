package dev.agentbrain.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.SourceProblem;
import java.io.PrintWriter;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The final report of {@code agent-brain publish}: a short summary for people, or one JSON object
 * for scripts ({@code --json}).
 *
 * @param index logical index published to
 * @param topic documents topic
 * @param summary what was done
 * @param sends records and produce requests sent to Kafka
 * @param seconds wall time of the whole run
 * @param exitCode what the command exits with
 */
record PublishReport(
    String index,
    String topic,
    PublishSummary summary,
    DocumentPublisher.SendStats sends,
    double seconds,
    int exitCode) {

  /** Skipped files listed one by one in the text report; the rest are counted by reason. */
  private static final int LISTED_SKIPS = 10;

  private static final ObjectMapper JSON =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  double megabytesPerSecond() {
    return summary.bytesRead() / 1e6 / Math.max(seconds, 1e-3);
  }

  double filesPerSecond() {
    return (summary.published() + summary.unchanged()) / Math.max(seconds, 1e-3);
  }

  void printJson(PrintWriter out) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("index", index);
    json.put("topic", topic);
    json.put("dryRun", summary.dryRun());
    json.put("published", summary.published());
    json.put("unchanged", summary.unchanged());
    json.put("deleted", summary.deleted());
    json.put("skipped", summary.skipped());
    json.put("failed", summary.failed());
    json.put("warnings", summary.warnings());
    json.put("bytesRead", summary.bytesRead());
    json.put("recordsSent", sends.records());
    json.put("produceRequests", sends.requests());
    json.put("seconds", round(seconds));
    json.put("filesPerSecond", round(filesPerSecond()));
    json.put("megabytesPerSecond", round(megabytesPerSecond()));
    json.put("exitCode", exitCode);
    try {
      out.println(JSON.writeValueAsString(json));
      out.flush();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a map of strings and numbers always serializes", e);
    }
  }

  void printText(PrintWriter out, PrintWriter err) {
    String verb = summary.dryRun() ? "would publish" : "published";
    out.printf(
        Locale.ROOT,
        "%s %d, unchanged %d, %s %d, skipped %d, failed %d — index %s (%s), %.1f MB in %.1f s"
            + " (%.0f files/s, %.1f MB/s)%n",
        verb,
        summary.published(),
        summary.unchanged(),
        summary.dryRun() ? "would delete" : "deleted",
        summary.deleted(),
        summary.skipped().size(),
        summary.failed().size(),
        index,
        topic,
        summary.bytesRead() / 1e6,
        seconds,
        filesPerSecond(),
        megabytesPerSecond());
    if (!summary.skipped().isEmpty()) {
      printSkipped(out);
    }
    summary.warnings().forEach(w -> err.println("  warning: " + w.source() + ": " + w.reason()));
    summary.failed().forEach(f -> err.println("  failed: " + f.source() + ": " + f.reason()));
    if (summary.dryRun()) {
      out.println("dry run: nothing was sent");
    }
    out.flush();
    err.flush();
  }

  /** One line per publish of a watched folder's changes, with its failures and warnings. */
  void printChange(PrintWriter out, PrintWriter err) {
    out.printf(
        Locale.ROOT,
        "%s %s %d, deleted %d, failed %d%n",
        LocalTime.now().truncatedTo(ChronoUnit.SECONDS),
        summary.dryRun() ? "would publish" : "published",
        summary.published(),
        summary.deleted(),
        summary.failed().size());
    summary.warnings().forEach(w -> err.println("  warning: " + w.source() + ": " + w.reason()));
    summary.failed().forEach(f -> err.println("  failed: " + f.source() + ": " + f.reason()));
    out.flush();
    err.flush();
  }

  private void printSkipped(PrintWriter out) {
    List<SourceProblem> skipped = summary.skipped();
    if (skipped.size() <= LISTED_SKIPS) {
      skipped.forEach(s -> out.println("  skipped: " + s.source() + ": " + s.reason()));
      return;
    }
    Map<String, Long> byReason =
        skipped.stream()
            .collect(
                Collectors.groupingBy(SourceProblem::reason, TreeMap::new, Collectors.counting()));
    byReason.forEach((reason, count) -> out.println("  skipped " + count + ": " + reason));
    out.println("  (--json lists every skipped file)");
  }

  private static double round(double value) {
    return Math.round(value * 100) / 100.0;
  }
}
