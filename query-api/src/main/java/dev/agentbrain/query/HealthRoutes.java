package dev.agentbrain.query;

import io.javalin.http.Context;
import java.util.List;
import java.util.Map;

/**
 * {@code /health} (is the service able to answer: 200 or 503, for load balancers) and {@code
 * /health/status} (everything an operator asks next: contracts, pools, load, cache, features).
 */
final class HealthRoutes implements RouteGroup {

  private final ServiceHealth health;

  HealthRoutes(ServiceHealth health) {
    this.health = health;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/health", Access.OPEN, this::health),
        Route.get("/health/status", Access.READ, ctx -> ctx.json(health.status())));
  }

  private void health(Context ctx) {
    Map<String, Object> body = health.health();
    ctx.status(body.get("status").equals("healthy") ? 200 : 503).json(body);
  }
}
