package dev.agentbrain.query;

import io.javalin.http.Context;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/** {@code /metrics} (Prometheus) and {@code /openapi.json} (the API's own description). */
final class ServiceRoutes implements RouteGroup {

  /** The OpenAPI 3.1 document, written by hand beside the routes (a test keeps them in step). */
  static final String OPENAPI_RESOURCE = "/openapi.json";

  private final PrometheusMeterRegistry meters;
  private final byte[] openApi;

  ServiceRoutes(PrometheusMeterRegistry meters) {
    this.meters = meters;
    this.openApi = openApiDocument();
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/metrics", Access.READ, this::metrics),
        Route.get("/openapi.json", Access.OPEN, this::openApi));
  }

  private void metrics(Context ctx) {
    ctx.contentType("text/plain; version=0.0.4; charset=utf-8").result(meters.scrape());
  }

  private void openApi(Context ctx) {
    ctx.contentType("application/json").result(openApi);
  }

  static byte[] openApiDocument() {
    try (InputStream in = ServiceRoutes.class.getResourceAsStream(OPENAPI_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(OPENAPI_RESOURCE + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
