package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** The query API's JSON answer as a table a person reads in a terminal. */
final class QueryTable {

  private static final int SOURCE_WIDTH = 40;
  private static final int TEXT_WIDTH = 70;

  private QueryTable() {}

  /** A header line, one row per hit, and a line saying where the next page starts. */
  static String render(JsonNode answer) {
    StringBuilder out = new StringBuilder();
    out.append(
        String.format(
            Locale.ROOT,
            "%d results from %s, %s mode (index version %d) in %.1f ms%n",
            answer.path("total_results").asInt(),
            answer.path("backend").asText(),
            answer.path("mode").asText(),
            answer.path("index_version").asInt(),
            answer.path("query_time_ms").asDouble()));
    if (answer.path("results").isEmpty()) {
      return out.toString();
    }
    out.append(
        String.format(
            Locale.ROOT,
            "%4s  %-5s  %-6s  %-5s  %-" + SOURCE_WIDTH + "s  %-14s  %s%n",
            "#",
            "score",
            "vector",
            "bm25",
            "source",
            "type/language",
            "text"));
    int rank = answer.path("offset").asInt() + 1;
    for (JsonNode hit : answer.path("results")) {
      out.append(
          String.format(
              Locale.ROOT,
              "%4d  %.3f  %-6s  %-5s  %-" + SOURCE_WIDTH + "s  %-14s  %s%n",
              rank++,
              hit.path("score").asDouble(),
              score(hit.path("vector_score")),
              score(hit.path("bm25_score")),
              fit(hit.path("source").asText(), SOURCE_WIDTH, true),
              fit(
                  hit.path("source_type").asText() + "/" + hit.path("language").asText(),
                  14,
                  false),
              fit(hit.path("text").asText().replaceAll("\\s+", " ").strip(), TEXT_WIDTH, false)));
      JsonNode explain = hit.path("explain");
      if (!explain.isMissingNode()) {
        out.append(explanation(explain));
      }
    }
    if (!answer.path("next_offset").isNull() && !answer.path("next_offset").isMissingNode()) {
      out.append("more: --offset ").append(answer.path("next_offset").asInt()).append('\n');
    }
    return out.toString();
  }

  /**
   * One line under a hit: its rank in each ranking the mode asked for. A single-ranking mode asked
   * the other ranking nothing, so that one is left out rather than shown as "not found".
   */
  private static String explanation(JsonNode explain) {
    int candidates = explain.path("candidates").asInt();
    return switch (explain.path("mode").asText()) {
      case "vector" ->
          String.format(
              Locale.ROOT,
              "        vector rank %s of %d candidates%n",
              rank(explain.path("vector")),
              candidates);
      case "bm25" ->
          String.format(
              Locale.ROOT,
              "        bm25 rank %s of %d candidates%n",
              rank(explain.path("bm25")),
              candidates);
      default ->
          String.format(
              Locale.ROOT,
              "        vector rank %s, bm25 rank %s (of %d candidates each)%n",
              rank(explain.path("vector")),
              rank(explain.path("bm25")),
              candidates);
    };
  }

  private static String score(JsonNode value) {
    return value.isNumber() ? String.format(Locale.ROOT, "%.3f", value.asDouble()) : "-";
  }

  private static String rank(JsonNode ranked) {
    return ranked.isObject() ? "#" + ranked.path("rank").asInt() : "-";
  }

  /** Cuts to {@code width} characters with an ellipsis; a path keeps its end, text its start. */
  static String fit(String text, int width, boolean keepEnd) {
    if (text.length() <= width) {
      return text;
    }
    return keepEnd
        ? "…" + text.substring(text.length() - width + 1)
        : text.substring(0, width - 1) + "…";
  }
}
