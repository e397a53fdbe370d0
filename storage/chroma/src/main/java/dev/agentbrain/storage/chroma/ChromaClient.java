package dev.agentbrain.storage.chroma;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.StorageException;
import dev.agentbrain.storage.StorageUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A small typed client for the parts of Chroma's HTTP API v2 that Agent Brain uses (the published
 * Java client speaks only v1, which Chroma 1.x refuses). Collections are found and deleted by name
 * and written and read by id, as the API requires. Thread-safe.
 *
 * <p>Failures become storage errors: no connection, a timeout or a 5xx answer is {@link
 * StorageUnavailableException}; a 404 on a collection is {@link NoSuchIndexException}; any other
 * refusal is {@link StorageException}. Chroma's own error text stays in the cause.
 */
public final class ChromaClient implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a query or get returns besides ids. */
  public enum Include {
    DISTANCES,
    DOCUMENTS,
    METADATAS,
    EMBEDDINGS;

    String wireName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * A collection.
   *
   * @param dimension the vector length Chroma fixed at the first write; empty before it
   * @param space the HNSW distance space: {@code cosine}, {@code l2} or {@code ip}
   */
  public record Collection(
      String id, String name, Map<String, Object> metadata, OptionalInt dimension, String space) {
    public Collection {
      metadata = Map.copyOf(metadata);
    }
  }

  /**
   * A stored record. {@code embedding} is empty unless asked for (never empty in an upsert); {@code
   * metadata} values are {@code String}, {@code Long}, {@code Double} or {@code Boolean}.
   */
  public record Record(
      String id, float[] embedding, String document, Map<String, Object> metadata) {
    public Record {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(embedding, "embedding");
      Objects.requireNonNull(document, "document");
      metadata = Map.copyOf(metadata);
    }
  }

  /** A query result: the record and its distance from the query vector. */
  public record Match(Record record, double distance) {}

  private final ChromaConfig config;
  private final HttpClient http;
  private final String collections;

  public ChromaClient(ChromaConfig config) {
    this.config = config;
    this.http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    this.collections =
        "/api/v2/tenants/%s/databases/%s/collections"
            .formatted(segment(config.tenant()), segment(config.database()));
  }

  /** The server's heartbeat, in nanoseconds of its clock; proves the server answers. */
  public long heartbeat() {
    return send("GET", "/api/v2/heartbeat", null, "checking its heartbeat")
        .orElseThrow()
        .path("nanosecond heartbeat")
        .asLong();
  }

  /** The most records the server accepts in one write. */
  public int maxBatchSize() {
    return send("GET", "/api/v2/pre-flight-checks", null, "reading its limits")
        .orElseThrow()
        .path("max_batch_size")
        .asInt();
  }

  /**
   * The collection with this name, created with {@code metadata}, the cosine distance space and the
   * HNSW search list size {@code efSearch} when it does not exist. An existing collection is
   * returned as it is, metadata and configuration included (Chroma applies a changed {@code
   * ef_search} only after a restart).
   */
  public Collection getOrCreateCollection(String name, Map<String, Object> metadata, int efSearch) {
    ObjectNode body = JSON.createObjectNode();
    body.put("name", name);
    body.put("get_or_create", true);
    body.set("metadata", JSON.valueToTree(metadata));
    body.putObject("configuration")
        .putObject("hnsw")
        .put("space", "cosine")
        .put("ef_search", efSearch);
    return collection(send("POST", collections, body, "creating collection " + name).orElseThrow());
  }

  /** The collection with this name, if there is one. */
  public Optional<Collection> collection(String name) {
    return send("GET", collections + "/" + segment(name), null, "reading collection " + name)
        .map(ChromaClient::collection);
  }

  /** Deletes the collection with this name; {@code false} when there was none. */
  public boolean deleteCollection(String name) {
    return send("DELETE", collections + "/" + segment(name), null, "deleting collection " + name)
        .isPresent();
  }

  /**
   * Inserts or replaces records, which must all carry embeddings of one length: a write without
   * embeddings breaks a Chroma 1.0 collection for good, so this refuses it before sending.
   */
  public void upsert(String collectionId, List<Record> records) {
    if (records.isEmpty()) {
      return;
    }
    int length = records.getFirst().embedding().length;
    ObjectNode body = JSON.createObjectNode();
    ArrayNode ids = body.putArray("ids");
    ArrayNode embeddings = body.putArray("embeddings");
    ArrayNode documents = body.putArray("documents");
    ArrayNode metadatas = body.putArray("metadatas");
    for (Record record : records) {
      if (record.embedding().length == 0 || record.embedding().length != length) {
        throw new IllegalArgumentException(
            "every record of an upsert needs an embedding of one length; "
                + record.id()
                + " has "
                + record.embedding().length);
      }
      ids.add(record.id());
      ArrayNode vector = embeddings.addArray();
      for (float value : record.embedding()) {
        vector.add(value);
      }
      documents.add(record.document());
      metadatas.add(JSON.valueToTree(record.metadata()));
    }
    expect(send("POST", records(collectionId, "upsert"), body, "writing records"), collectionId);
  }

  /** Deletes the records that match a {@code where} filter. */
  public void delete(String collectionId, Map<String, Object> where) {
    ObjectNode body = JSON.createObjectNode();
    body.set("where", JSON.valueToTree(where));
    expect(send("POST", records(collectionId, "delete"), body, "deleting records"), collectionId);
  }

  /** Deletes the records with these ids; ids that do not exist are ignored. */
  public void deleteIds(String collectionId, List<String> ids) {
    ObjectNode body = JSON.createObjectNode();
    body.set("ids", JSON.valueToTree(ids));
    expect(send("POST", records(collectionId, "delete"), body, "deleting records"), collectionId);
  }

  /** The {@code nResults} nearest records to {@code embedding}, nearest first. */
  public List<Match> query(
      String collectionId,
      float[] embedding,
      int nResults,
      Optional<Map<String, Object>> where,
      Set<Include> include) {
    ObjectNode body = JSON.createObjectNode();
    ArrayNode vector = body.putArray("query_embeddings").addArray();
    for (float value : embedding) {
      vector.add(value);
    }
    body.put("n_results", nResults);
    where.ifPresent(filter -> body.set("where", JSON.valueToTree(filter)));
    EnumSet<Include> wanted = EnumSet.of(Include.DISTANCES);
    wanted.addAll(include);
    ArrayNode includes = body.putArray("include");
    wanted.forEach(item -> includes.add(item.wireName()));
    JsonNode response =
        expect(send("POST", records(collectionId, "query"), body, "searching"), collectionId);
    JsonNode ids = response.path("ids").path(0);
    List<Match> matches = new ArrayList<>(ids.size());
    for (int i = 0; i < ids.size(); i++) {
      matches.add(
          new Match(
              record(
                  ids.get(i).asText(),
                  response.path("embeddings").path(0).path(i),
                  response.path("documents").path(0).path(i),
                  response.path("metadatas").path(0).path(i)),
              response.path("distances").path(0).path(i).asDouble()));
    }
    return matches;
  }

  /** The records with these ids that exist, in no particular order. */
  public List<Record> get(String collectionId, List<String> ids, Set<Include> include) {
    ObjectNode body = JSON.createObjectNode();
    body.set("ids", JSON.valueToTree(ids));
    return records(get(collectionId, body, include));
  }

  /**
   * One page of records, optionally only those that match {@code where}, in the server's storage
   * order (stable while nothing is written).
   */
  public List<Record> page(
      String collectionId,
      Optional<Map<String, Object>> where,
      int limit,
      int offset,
      Set<Include> include) {
    ObjectNode body = JSON.createObjectNode();
    where.ifPresent(filter -> body.set("where", JSON.valueToTree(filter)));
    body.put("limit", limit);
    body.put("offset", offset);
    return records(get(collectionId, body, include));
  }

  /** One page of the ids of the records that match {@code where}. */
  public List<String> ids(String collectionId, Map<String, Object> where, int limit, int offset) {
    ObjectNode body = JSON.createObjectNode();
    body.set("where", JSON.valueToTree(where));
    body.put("limit", limit);
    body.put("offset", offset);
    List<String> ids = new ArrayList<>();
    get(collectionId, body, Set.of()).path("ids").forEach(id -> ids.add(id.asText()));
    return ids;
  }

  /** How many records the collection holds. */
  public long count(String collectionId) {
    return expect(
            send("GET", records(collectionId, "count"), null, "counting records"), collectionId)
        .asLong();
  }

  @Override
  public void close() {
    http.close();
  }

  private JsonNode get(String collectionId, ObjectNode body, Set<Include> include) {
    ArrayNode includes = body.putArray("include");
    include.forEach(item -> includes.add(item.wireName()));
    return expect(
        send("POST", records(collectionId, "get"), body, "reading records"), collectionId);
  }

  private String records(String collectionId, String operation) {
    return collections + "/" + segment(collectionId) + "/" + operation;
  }

  /** A 404 on a collection id means the collection was deleted (perhaps by another process). */
  private static JsonNode expect(Optional<JsonNode> response, String collectionId) {
    return response.orElseThrow(
        () ->
            new NoSuchIndexException(
                "the Chroma collection with id %s no longer exists".formatted(collectionId)));
  }

  /** Sends a request; empty on 404, the parsed body on 2xx, a storage error otherwise. */
  private Optional<JsonNode> send(String method, String path, JsonNode body, String action) {
    URI uri = URI.create(config.baseUrl() + path);
    HttpRequest.BodyPublisher publisher;
    try {
      publisher =
          body == null
              ? HttpRequest.BodyPublishers.noBody()
              : HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree always serialises", e);
    }
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(config.requestTimeout())
            .header("Content-Type", "application/json")
            .method(method, publisher);
    if (!config.token().isEmpty()) {
      request.header(ChromaConfig.TOKEN_HEADER, config.token());
    }
    HttpResponse<String> response;
    try {
      response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new StorageUnavailableException(
          "Chroma at %s is not reachable while %s; check that it runs (`make up` starts it) and retry"
              .formatted(config.baseUrl(), action),
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new StorageUnavailableException("interrupted while " + action + " in Chroma", e);
    }
    int status = response.statusCode();
    if (status / 100 == 2) {
      try {
        return Optional.of(JSON.readTree(response.body()));
      } catch (JsonProcessingException e) {
        throw new StorageException("Chroma answered " + action + " with something not JSON", e);
      }
    }
    if (status == 404) {
      return Optional.empty();
    }
    ChromaErrorResponse cause = new ChromaErrorResponse(method, path, status, response.body());
    if (status == 401 || status == 403) {
      // unusable until an operator sets the token: writers pause and retry, nothing is refused
      throw new StorageUnavailableException(
          (config.token().isEmpty()
                  ? "Chroma at %s refused %s (HTTP %d): it wants a token — set AGENT_BRAIN_CHROMA_TOKEN"
                  : "Chroma at %s refused %s (HTTP %d) with the token of AGENT_BRAIN_CHROMA_TOKEN —"
                      + " check that it is the server's")
              .formatted(config.baseUrl(), action, status),
          cause);
    }
    if (status / 100 == 5) {
      throw new StorageUnavailableException(
          "Chroma at %s failed while %s (HTTP %d); retry later, and see the server's log if it persists"
              .formatted(config.baseUrl(), action, status),
          cause);
    }
    throw new StorageException(
        "Chroma refused %s (HTTP %d%s)"
            .formatted(action, status, cause.error().isEmpty() ? "" : " " + cause.error()),
        cause);
  }

  private static Collection collection(JsonNode node) {
    JsonNode dimension = node.path("dimension");
    return new Collection(
        node.path("id").asText(),
        node.path("name").asText(),
        metadata(node.path("metadata")),
        dimension.isNumber() ? OptionalInt.of(dimension.asInt()) : OptionalInt.empty(),
        node.path("configuration_json").path("hnsw").path("space").asText("l2"));
  }

  private static List<Record> records(JsonNode response) {
    List<Record> records = new ArrayList<>();
    JsonNode ids = response.path("ids");
    for (int i = 0; i < ids.size(); i++) {
      records.add(
          record(
              ids.get(i).asText(),
              response.path("embeddings").path(i),
              response.path("documents").path(i),
              response.path("metadatas").path(i)));
    }
    return records;
  }

  private static Record record(String id, JsonNode embedding, JsonNode document, JsonNode meta) {
    float[] vector = new float[embedding.isArray() ? embedding.size() : 0];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = (float) embedding.get(i).doubleValue();
    }
    return new Record(id, vector, document.isTextual() ? document.asText() : "", metadata(meta));
  }

  private static Map<String, Object> metadata(JsonNode node) {
    Map<String, Object> values = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      JsonNode value = field.getValue();
      if (value.isIntegralNumber()) {
        values.put(field.getKey(), value.asLong());
      } else if (value.isNumber()) {
        values.put(field.getKey(), value.asDouble());
      } else if (value.isBoolean()) {
        values.put(field.getKey(), value.asBoolean());
      } else if (value.isTextual()) {
        values.put(field.getKey(), value.asText());
      }
    }
    return values;
  }

  private static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
