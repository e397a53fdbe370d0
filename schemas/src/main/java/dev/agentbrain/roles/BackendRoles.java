package dev.agentbrain.roles;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.config.Backend;
import dev.agentbrain.registry.RegistryClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The roles of the backends, shared by every process of an installation through the schema
 * registry: group {@code <namespace>.roles}, artifact {@code backends}, one version per change, so
 * the history of promotions is kept (as the index aliases keep theirs). Until the first change the
 * configured roles hold, and nothing is written.
 *
 * <p>Thread-safe; every call asks the registry (wrap it in {@link LiveRoles} to cache).
 */
public final class BackendRoles {

  /** One entry of the history: the roles from {@code at} on, and why they changed. */
  public record Change(Roles roles, Instant at, String reason) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String ARTIFACT = "backends";

  private final RegistryClient registry;
  private final String group;
  private final Roles configured;

  /**
   * @param namespace the topic prefix, as for {@link dev.agentbrain.contract.ContractRegistry}
   * @param configured the roles from the settings, in force until the first recorded change
   */
  public BackendRoles(RegistryClient registry, String namespace, Roles configured) {
    this.registry = registry;
    this.group = namespace + ".roles";
    this.configured = configured;
  }

  /** The roles from the settings: in force until the first recorded change. */
  public Roles configured() {
    return configured;
  }

  /** The roles now in force. */
  public Roles current() {
    List<String> versions = registry.versions(group, ARTIFACT);
    if (versions.isEmpty()) {
      return configured;
    }
    return decode(registry.content(group, ARTIFACT, versions.getLast()).orElseThrow()).roles();
  }

  /** Every recorded change, oldest first; empty while the configured roles hold. */
  public List<Change> history() {
    List<Change> changes = new ArrayList<>();
    for (String version : registry.versions(group, ARTIFACT)) {
      registry.content(group, ARTIFACT, version).map(BackendRoles::decode).ifPresent(changes::add);
    }
    return changes;
  }

  /**
   * Swaps primary and shadow and records it. Every process picks the new roles up at its next read;
   * nothing is restarted, and both sinks keep writing.
   *
   * @return the new roles
   * @throws IllegalStateException when there is no shadow
   */
  public Roles promote(String reason) {
    Roles before = current();
    Roles after = before.swapped();
    List<String> versions = registry.versions(group, ARTIFACT);
    if (versions.isEmpty()) {
      // the history starts with the roles the settings gave
      registry.createVersion(
          group, ARTIFACT, "JSON", "1", encode(new Change(before, Instant.now(), "configured")));
      versions = List.of("1");
    }
    registry.createVersion(
        group,
        ARTIFACT,
        "JSON",
        String.valueOf(versions.size() + 1),
        encode(new Change(after, Instant.now(), reason)));
    return after;
  }

  /** Forgets the recorded roles: the configured ones hold again. For tests and tear-down. */
  public void forget() {
    registry.deleteArtifact(group, ARTIFACT);
  }

  static String encode(Change change) {
    ObjectNode node = JSON.createObjectNode();
    node.put("primary", change.roles().primary().id());
    node.put("shadow", change.roles().shadow().map(Backend::id).orElse("none"));
    node.put("at", change.at().toString());
    node.put("reason", change.reason());
    return node.toString();
  }

  static Change decode(String json) {
    try {
      JsonNode node = JSON.readTree(json);
      String shadow = node.path("shadow").asText("none");
      return new Change(
          new Roles(
              backend(node.path("primary").asText()),
              shadow.equals("none") ? Optional.empty() : Optional.of(backend(shadow))),
          Instant.parse(node.path("at").asText()),
          node.path("reason").asText(""));
    } catch (IOException e) {
      throw new UncheckedIOException("the backend roles in the registry are not readable", e);
    }
  }

  private static Backend backend(String id) {
    return Backend.valueOf(id.toUpperCase(Locale.ROOT));
  }
}
