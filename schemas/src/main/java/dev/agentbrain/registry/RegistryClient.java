package dev.agentbrain.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The few calls of Apicurio Registry's v3 REST API that the pipeline makes: artifacts with explicit
 * versions, their content, and compatibility rules. Thread-safe.
 */
public final class RegistryClient {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final URI base;
  private final HttpClient http;

  public RegistryClient(URI registryUrl) {
    this.base = URI.create(registryUrl + "/apis/registry/v3");
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Content of one version of an artifact, or empty when the artifact or version is absent. */
  public Optional<String> content(String group, String artifactId, String version) {
    HttpResponse<String> response =
        send(
            get(path(group, artifactId) + "/versions/" + encode(version) + "/content"),
            "read " + artifactId);
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    return Optional.of(check(response, "read " + artifactId).body());
  }

  /** Version names of an artifact, oldest first; empty when it does not exist. */
  public List<String> versions(String group, String artifactId) {
    HttpResponse<String> response =
        send(
            get(path(group, artifactId) + "/versions?limit=1000&order=asc&orderby=createdOn"),
            "list versions");
    if (response.statusCode() == 404) {
      return List.of();
    }
    List<String> names = new ArrayList<>();
    readTree(check(response, "list versions").body())
        .path("versions")
        .forEach(v -> names.add(v.path("version").asText()));
    return names;
  }

  /** Artifact ids in a group; empty when the group does not exist. */
  public List<String> artifacts(String group) {
    HttpResponse<String> response =
        send(get("/groups/" + encode(group) + "/artifacts?limit=1000"), "list artifacts");
    if (response.statusCode() == 404) {
      return List.of();
    }
    List<String> ids = new ArrayList<>();
    readTree(check(response, "list artifacts").body())
        .path("artifacts")
        .forEach(a -> ids.add(a.path("artifactId").asText()));
    return ids;
  }

  /**
   * Adds a version with the given content, creating the artifact (with a BACKWARD compatibility
   * rule) when it does not exist.
   *
   * @throws RegistryException with status 409 when that version already exists
   */
  public void createVersion(
      String group, String artifactId, String artifactType, String version, String content) {
    ObjectNode versionNode = JSON.createObjectNode().put("version", version);
    versionNode
        .putObject("content")
        .put("content", content)
        .put("contentType", contentType(artifactType));
    if (versions(group, artifactId).isEmpty()) {
      ObjectNode body =
          JSON.createObjectNode().put("artifactId", artifactId).put("artifactType", artifactType);
      body.set("firstVersion", versionNode);
      check(
          send(post("/groups/" + encode(group) + "/artifacts", body), "create " + artifactId),
          "create " + artifactId);
      ensureRule(path(group, artifactId) + "/rules", "COMPATIBILITY", "BACKWARD");
    } else {
      check(
          send(
              post(path(group, artifactId) + "/versions", versionNode),
              "add a version to " + artifactId),
          "add a version to " + artifactId);
    }
  }

  /** Deletes an artifact with all its versions; no error when it does not exist. */
  public void deleteArtifact(String group, String artifactId) {
    HttpResponse<String> response = send(delete(path(group, artifactId)), "delete " + artifactId);
    if (response.statusCode() != 404) {
      check(response, "delete " + artifactId);
    }
  }

  /** Sets the registry-wide default compatibility rule when none is set. */
  public void ensureGlobalCompatibility(String level) {
    ensureRule("/admin/rules", "COMPATIBILITY", level);
  }

  /** Sets an artifact's compatibility rule (creating or replacing it). */
  public void setCompatibility(String group, String artifactId, String level) {
    ensureRule(path(group, artifactId) + "/rules", "COMPATIBILITY", level);
  }

  /** Whether the registry answers. */
  public boolean isReachable() {
    try {
      return send(get("/system/info"), "read system info").statusCode() == 200;
    } catch (RegistryException e) {
      return false;
    }
  }

  private void ensureRule(String rulesPath, String type, String config) {
    ObjectNode body = JSON.createObjectNode().put("ruleType", type).put("config", config);
    HttpResponse<String> created = send(post(rulesPath, body), "set a " + type + " rule");
    if (created.statusCode() == 409) {
      ObjectNode update = JSON.createObjectNode().put("ruleType", type).put("config", config);
      check(send(put(rulesPath + "/" + type, update), "update a rule"), "update a rule");
      return;
    }
    check(created, "set a " + type + " rule");
  }

  private static String contentType(String artifactType) {
    return "JSON".equals(artifactType) || "AVRO".equals(artifactType)
        ? "application/json"
        : "text/plain";
  }

  private String path(String group, String artifactId) {
    return "/groups/" + encode(group) + "/artifacts/" + encode(artifactId);
  }

  private HttpRequest get(String path) {
    return request(path, null).GET().build();
  }

  private HttpRequest post(String path, JsonNode body) {
    return request(path, body).POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private HttpRequest put(String path, JsonNode body) {
    return request(path, body).PUT(HttpRequest.BodyPublishers.ofString(body.toString())).build();
  }

  private HttpRequest delete(String path) {
    return request(path, null).DELETE().build();
  }

  private HttpRequest.Builder request(String path, JsonNode body) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
    return body == null ? builder : builder.header("Content-Type", "application/json");
  }

  private HttpResponse<String> send(HttpRequest request, String what) {
    try {
      return http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new RegistryException(
          "the schema registry is not reachable at "
              + base
              + " (could not "
              + what
              + ") — start it with `make up`",
          0,
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RegistryException("interrupted while calling the schema registry", 0, e);
    }
  }

  private HttpResponse<String> check(HttpResponse<String> response, String what) {
    if (response.statusCode() / 100 != 2) {
      String detail = readTree(response.body()).path("detail").asText("");
      throw new RegistryException(
          "the schema registry refused to "
              + what
              + " (HTTP "
              + response.statusCode()
              + (detail.isEmpty() ? "" : ": " + detail)
              + ")",
          response.statusCode(),
          null);
    }
    return response;
  }

  private static JsonNode readTree(String body) {
    try {
      return JSON.readTree(body == null || body.isBlank() ? "{}" : body);
    } catch (IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }
}
