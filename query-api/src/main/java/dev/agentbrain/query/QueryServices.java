package dev.agentbrain.query;

import dev.agentbrain.config.Backend;
import dev.agentbrain.storage.Retriever;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The query service without its HTTP face: what the routes call, for other faces of the same
 * service (MCP over stdio, or over the query API's own port). Build it with {@link
 * QueryServer.Builder#services()}; closing it closes the embedder and the retrievers. Thread-safe.
 */
public final class QueryServices implements AutoCloseable {

  private final SearchService search;
  private final IndexCatalog catalog;
  private final ServiceHealth health;
  private final List<StatusSection> sections;
  private final ApiAuth auth;
  private final QueryEmbedder embedder;
  private final Admission admission;
  private final Map<Backend, Retriever> retrievers;

  QueryServices(
      SearchService search,
      IndexCatalog catalog,
      ServiceHealth health,
      List<StatusSection> sections,
      ApiAuth auth,
      QueryEmbedder embedder,
      Admission admission,
      Map<Backend, Retriever> retrievers) {
    this.search = search;
    this.catalog = catalog;
    this.health = health;
    this.sections = List.copyOf(sections);
    this.auth = auth;
    this.embedder = embedder;
    this.admission = admission;
    this.retrievers = retrievers;
  }

  /** Searches, counts and chunks. */
  public SearchService search() {
    return search;
  }

  /** The indexes, their contracts and whether this service can serve them. */
  public IndexCatalog catalog() {
    return catalog;
  }

  /** What {@code /health} and {@code /health/status} show. */
  public ServiceHealth health() {
    return health;
  }

  /** The bearer-token rules of the service. */
  public ApiAuth auth() {
    return auth;
  }

  /** The feature's part of the status named {@code name} (e.g. {@code reindex}), if registered. */
  public Optional<StatusSection> section(String name) {
    return sections.stream().filter(s -> s.name().equals(name)).findFirst();
  }

  QueryEmbedder embedder() {
    return embedder;
  }

  Admission admission() {
    return admission;
  }

  @Override
  public void close() {
    embedder.close();
    retrievers.values().forEach(Retriever::close);
  }
}
