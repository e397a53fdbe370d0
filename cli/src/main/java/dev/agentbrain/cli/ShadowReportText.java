package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/** The shadow report ({@code GET /admin/shadow}) as text for a terminal. */
final class ShadowReportText {

  private ShadowReportText() {}

  static void print(JsonNode report, PrintStream out) {
    JsonNode roles = report.path("roles");
    out.println(
        "roles: primary "
            + roles.path("primary").asText()
            + ", shadow "
            + roles.path("shadow").asText());
    if (report.has("queries_unavailable")) {
      out.println("queries: not compared here — " + report.path("queries_unavailable").asText());
    } else {
      JsonNode q = report.path("queries");
      out.printf(
          Locale.ROOT,
          "queries compared: %d in the window (sample %.0f%%), shadow failed %d (%.1f%%), dropped %d since start%n",
          q.path("in_window").asLong(),
          100 * report.path("sample_rate").asDouble(),
          q.path("failed").asLong(),
          100 * q.path("error_rate").asDouble(),
          q.path("dropped_since_start").asLong());
      stats(out, "top-k overlap", report.path("overlap"), "p10");
      stats(
          out, "RBO (p " + report.path("rbo").path("p").asText() + ")", report.path("rbo"), "p10");
      stats(out, "score difference (shared hits)", report.path("score_difference"), "p90");
      for (Iterator<Map.Entry<String, JsonNode>> it = report.path("by_mode").fields();
          it.hasNext(); ) {
        Map.Entry<String, JsonNode> mode = it.next();
        JsonNode m = mode.getValue();
        out.printf(
            Locale.ROOT,
            "  %-7s %d compared, %d failed: overlap mean %s, RBO mean %s, p10 %s%n",
            mode.getKey(),
            m.path("compared").asLong(),
            m.path("failed").asLong(),
            number(m.path("overlap_mean")),
            number(m.path("rbo_mean")),
            number(m.path("rbo_p10")));
      }
      JsonNode latency = report.path("latency_ms");
      out.printf(
          Locale.ROOT,
          "latency ms: primary median %s p95 %s; shadow median %s p95 %s; shadow/primary %s%n",
          number(latency.path("primary").path("median")),
          number(latency.path("primary").path("p95")),
          number(latency.path("shadow").path("median")),
          number(latency.path("shadow").path("p95")),
          number(latency.path("ratio_median")));
    }
    StringBuilder lag = new StringBuilder("write lag (offsets not yet written):");
    for (Iterator<Map.Entry<String, JsonNode>> it = report.path("write_lag").fields();
        it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      lag.append(' ').append(entry.getKey()).append(' ').append(entry.getValue().asText("unknown"));
    }
    out.println(lag);
    if (report.path("reconciliation").isObject()) {
      reconciliation(report.path("reconciliation"), out);
    } else {
      out.println("reconciliation: none yet (run `agent-brain shadow reconcile`)");
    }
    JsonNode worst = report.path("worst_queries");
    if (worst.isArray() && !worst.isEmpty()) {
      out.println("worst queries (lowest RBO first):");
      int n = 1;
      for (JsonNode query : worst) {
        worstQuery(n++, query, out);
      }
    }
  }

  static void reconciliation(JsonNode r, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "reconciliation %s of index %s, %s vs %s: %d documents, %d chunks, %d differing%s (%d resolved as lag, %d ms)%n",
        r.path("started_at").asText(),
        r.path("index").asText(),
        r.path("left").asText(),
        r.path("right").asText(),
        r.path("documents").asLong(),
        r.path("chunks").asLong(),
        r.path("differing_documents").asLong(),
        r.path("settled").asBoolean(true) ? "" : " — the sinks had not caught up: some may be lag",
        r.path("lag_resolved").asLong(),
        r.path("took_ms").asLong());
    for (JsonNode d : r.path("differences")) {
      out.println(
          "  "
              + d.path("document_id").asText()
              + "  "
              + d.path("kind").asText()
              + "  "
              + d.path("detail").asText());
    }
  }

  private static void worstQuery(int n, JsonNode q, PrintStream out) {
    out.printf(
        Locale.ROOT,
        "%2d. \"%s\" (%s, %s)%s%n",
        n,
        q.path("query").asText(),
        q.path("index").asText(),
        q.path("mode").asText(),
        q.has("shadow_error")
            ? " shadow failed: " + q.path("shadow_error").asText()
            : String.format(
                Locale.ROOT,
                " RBO %.3f, overlap %.2f",
                q.path("rbo").asDouble(),
                q.path("overlap").asDouble()));
    JsonNode left = q.path("primary");
    JsonNode right = q.path("shadow");
    out.printf(
        Locale.ROOT,
        "      %-44s %s%n",
        q.path("primary_backend").asText(),
        q.path("shadow_backend").asText());
    for (int i = 0; i < Math.max(left.size(), right.size()); i++) {
      out.printf(Locale.ROOT, "   %2d %-44s %s%n", i + 1, hit(left.path(i)), hit(right.path(i)));
    }
  }

  private static String hit(JsonNode hit) {
    return hit.isMissingNode()
        ? ""
        : String.format(
            Locale.ROOT, "%.4f %s", hit.path("score").asDouble(), hit.path("chunk_id").asText());
  }

  private static void stats(PrintStream out, String name, JsonNode stats, String percentile) {
    out.printf(
        Locale.ROOT,
        "%s: mean %s, median %s, %s %s (%d queries)%n",
        name,
        number(stats.path("mean")),
        number(stats.path("median")),
        percentile,
        number(stats.path(percentile)),
        stats.path("count").asLong());
  }

  private static String number(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "n/a";
  }
}
