package dev.agentbrain.query.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.registry.RegistryClient;
import dev.agentbrain.storage.reconciliation.Difference;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import java.util.List;
import java.util.Optional;

/**
 * The results of reconciliation runs, kept in the schema registry (group {@code
 * <namespace>.shadow}, artifact {@code reconciliation}, a version per run) so that the query API
 * and the CLI of any machine show the latest. Thread-safe.
 */
public final class ReconciliationLog {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTIFACT = "reconciliation";

  private final RegistryClient registry;
  private final String group;

  public ReconciliationLog(RegistryClient registry, String namespace) {
    this.registry = registry;
    this.group = namespace + ".shadow";
  }

  /** Records a run; returns it as recorded. */
  public JsonNode record(String index, ReconciliationResult result) {
    ObjectNode node = toJson(index, result);
    List<String> versions = registry.versions(group, ARTIFACT);
    registry.createVersion(
        group, ARTIFACT, "JSON", String.valueOf(versions.size() + 1), node.toString());
    return node;
  }

  /** The latest recorded run, empty when there was none. */
  public Optional<JsonNode> latest() {
    List<String> versions = registry.versions(group, ARTIFACT);
    if (versions.isEmpty()) {
      return Optional.empty();
    }
    return registry.content(group, ARTIFACT, versions.getLast()).map(ReconciliationLog::parse);
  }

  /** Forgets every run; for tests. */
  public void forget() {
    registry.deleteArtifact(group, ARTIFACT);
  }

  /** A result as the report shows it (snake_case, durations in milliseconds). */
  public static ObjectNode toJson(String index, ReconciliationResult result) {
    ObjectNode node = JSON.createObjectNode();
    node.put("index", index);
    node.put("left", result.left());
    node.put("right", result.right());
    node.put("started_at", result.startedAt().toString());
    node.put("took_ms", result.took().toMillis());
    node.put("documents", result.documents());
    node.put("chunks", result.chunks());
    node.put("differing_documents", result.differing());
    node.put("lag_resolved", result.lagResolved());
    node.put("settled", result.settled());
    ObjectNode counts = node.putObject("differences_by_kind");
    result
        .differenceCounts()
        .forEach((kind, count) -> counts.put(kind.name().toLowerCase(), count));
    ArrayNode named = node.putArray("differences");
    for (Difference difference : result.differences()) {
      named
          .addObject()
          .put("document_id", difference.documentId())
          .put("kind", difference.kind().name().toLowerCase())
          .put("detail", difference.detail());
    }
    return node;
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (JsonProcessingException e) {
      return JSON.createObjectNode().put("error", "the recorded result is not readable");
    }
  }
}
