package dev.agentbrain.query;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code /indexes}: every logical index with its live contract, counts and serving backend. */
final class IndexRoutes implements RouteGroup {

  private final IndexCatalog catalog;
  private final SearchService search;
  private final List<StatusSection> sections;

  IndexRoutes(IndexCatalog catalog, SearchService search, List<StatusSection> sections) {
    this.catalog = catalog;
    this.search = search;
    this.sections = sections;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/indexes", Access.READ, this::all),
        Route.get("/indexes/{name}", Access.READ, this::one));
  }

  private void all(Context ctx) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("indexes", catalog.indexes());
    body.put("primary_backend", search.primary().id());
    ctx.json(body);
  }

  private void one(Context ctx) {
    String name = ctx.pathParam("name");
    ObjectNode body = QueryApi.JSON.valueToTree(catalog.index(name));
    for (StatusSection section : sections) {
      section
          .indexStatus(name)
          .ifPresent(value -> body.set(section.name(), QueryApi.JSON.valueToTree(value)));
    }
    ctx.json(body);
  }
}
