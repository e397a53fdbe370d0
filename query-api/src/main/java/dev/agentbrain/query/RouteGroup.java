package dev.agentbrain.query;

import java.util.List;

/**
 * The routes of one area of the API (queries, health, indexes, ...). {@link QueryApi} registers
 * every group's routes in one place; a feature adds an area by adding a group (see {@link
 * QueryServer.Builder#routes}). Every route must also appear in {@code openapi.json}.
 */
@FunctionalInterface
public interface RouteGroup {
  List<Route> routes();
}
