package dev.agentbrain.mcp;

import dev.agentbrain.jobs.IndexingJobs;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * What the MCP server offers beyond the query services, where the process has it.
 *
 * @param shadowReport the shadow-mode report ({@code GET /admin/shadow}); only the process that
 *     mirrors live queries ({@code agent-brain serve}) has one worth reading
 * @param jobs the indexing jobs and folders (the service behind {@code /index})
 */
public record McpFeatures(
    Optional<Supplier<Map<String, Object>>> shadowReport, Optional<IndexingJobs> jobs) {

  /** Nothing beyond the query services. */
  public static final McpFeatures NONE = new McpFeatures(Optional.empty(), Optional.empty());

  /** These features and the shadow report. */
  public McpFeatures withShadowReport(Supplier<Map<String, Object>> report) {
    return new McpFeatures(Optional.of(report), jobs);
  }

  /** These features and the indexing tools over {@code jobs}. */
  public McpFeatures withJobs(IndexingJobs jobs) {
    return new McpFeatures(shadowReport, Optional.of(jobs));
  }
}
