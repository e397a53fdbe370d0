package dev.agentbrain.mcp;

import dev.agentbrain.publish.FilePreset;
import dev.agentbrain.publish.FileType;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.QueryServices;
import dev.agentbrain.query.StatusSection;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code server_health}, {@code list_file_types}, and what only this system has: {@code
 * reindex_progress} and {@code shadow_report}. Each reads what the matching HTTP route reads.
 */
final class ServiceTools {

  private final QueryServices services;
  private final McpFeatures features;

  ServiceTools(QueryServices services, McpFeatures features) {
    this.services = services;
    this.features = features;
  }

  List<ToolDefinition> tools() {
    List<ToolDefinition> tools = new ArrayList<>();
    tools.add(
        new ToolDefinition(
            "server_health",
            "How the search service is doing (GET /health/status): status healthy or degraded,"
                + " the primary backend, each backend's state, connection pools, keyword-index"
                + " readiness, searches in flight, every index's contract and whether it can be"
                + " served, the query cache, reindex progress and shadow agreement.",
            InputSchema.object(),
            Access.READ,
            true,
            (arguments, caller) -> services.health().status()));
    tools.add(
        new ToolDefinition(
            "list_file_types",
            "The files index_folder and `agent-brain publish` take: each preset (docs, code, all)"
                + " with its extensions, and per extension the source type, language and media"
                + " type a file is indexed as.",
            InputSchema.object(),
            Access.READ,
            true,
            (arguments, caller) -> fileTypes()));
    Optional<StatusSection> reindex = services.section("reindex");
    reindex.ifPresent(
        section ->
            tools.add(
                new ToolDefinition(
                    "reindex_progress",
                    "Progress of every reindex in flight (a version of an index newer than its"
                        + " live one): documents done of the total, chunks per backend, documents"
                        + " per second and seconds left. Empty when no reindex runs.",
                    InputSchema.object().string("index", "Only this index (default: every index)."),
                    Access.READ,
                    true,
                    (arguments, caller) -> reindex(section, arguments))));
    features
        .shadowReport()
        .ifPresent(
            report ->
                tools.add(
                    new ToolDefinition(
                        "shadow_report",
                        "Shadow mode (GET /admin/shadow): which backend serves and which"
                            + " shadows, how far their answers to the mirrored live queries agree"
                            + " (overlap, rank-biased overlap, score difference, by mode), the"
                            + " worst queries, each sink's write lag and the latest"
                            + " reconciliation. Needs the admin token when the API has tokens.",
                        InputSchema.object(),
                        Access.ADMIN,
                        true,
                        (arguments, caller) -> report.get())));
    return tools;
  }

  private static Map<String, Object> reindex(StatusSection section, Map<String, Object> arguments) {
    String index = Arguments.optionalString(arguments, "index");
    Map<String, Object> body = new LinkedHashMap<>();
    if (index == null) {
      body.put("reindex", section.status());
    } else {
      body.put("index", index);
      body.put("versions", section.indexStatus(index).orElse(List.of()));
    }
    return body;
  }

  private static Map<String, Object> fileTypes() {
    Map<String, Object> presets = new LinkedHashMap<>();
    for (FilePreset preset : FilePreset.values()) {
      presets.put(
          preset.name().toLowerCase(Locale.ROOT),
          FileType.byExtension().keySet().stream()
              .filter(ext -> preset.typeOf("f." + ext).isPresent())
              .toList());
    }
    Map<String, Object> extensions = new LinkedHashMap<>();
    FileType.byExtension()
        .forEach(
            (ext, type) ->
                extensions.put(
                    ext,
                    Map.of(
                        "source_type", type.sourceType(),
                        "language", type.language(),
                        "content_type", type.contentType())));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("presets", presets);
    body.put(
        "other_text_files",
        "the all preset also takes any other text file, as source type doc, language text");
    body.put("extensions", extensions);
    return body;
  }
}
