package dev.agentbrain.query;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.servlet.ServletHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP face of the query service: registers the routes of every {@link RouteGroup} in one
 * place, guards each with {@link ApiAuth} by its {@link Access}, and turns every failure into one
 * JSON shape, {@code {"detail": "..."}}, through the one {@link ErrorTable}. Nothing of a stack
 * trace, SQL or driver message reaches a client: a failure the table does not know is logged and
 * answered with a generic 500.
 */
public final class QueryApi {

  private static final Logger LOG = LoggerFactory.getLogger(QueryApi.class);

  /** The JSON mapper of requests and responses: unknown request fields are an error. */
  static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final ApiAuth auth;
  private final List<Route> routes;

  QueryApi(ApiAuth auth, List<RouteGroup> groups) {
    this.auth = auth;
    this.routes = groups.stream().flatMap(g -> g.routes().stream()).toList();
  }

  /** Every route, in registration order. */
  public List<Route> routes() {
    return routes;
  }

  /**
   * A Javalin app with every route, and these servlets by exact path; call {@code start(host,
   * port)} on it.
   */
  Javalin app(Map<String, ServletMount.Guarded> servlets) {
    Javalin app =
        Javalin.create(
            config -> {
              // each request on its own virtual thread: a slow backend never starves a pool
              config.useVirtualThreads = true;
              config.showJavalinBanner = false;
              config.jsonMapper(new JavalinJackson(JSON, true));
              config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
              // a known path asked with the wrong method is 405 (with Allow), not "no such
              // endpoint"
              config.http.prefer405over404 = true;
              config.jetty.modifyServletContextHandler(
                  handler ->
                      servlets.forEach(
                          (path, servlet) -> {
                            ServletHolder holder = new ServletHolder(servlet);
                            holder.setAsyncSupported(true);
                            handler.addServlet(holder, path);
                          }));
            });
    for (Route route : routes) {
      app.addHttpHandler(
          route.method(),
          route.path(),
          ctx -> {
            auth.checkCaller(ctx.header("Host"), ctx.header("Origin"));
            auth.check(route.access(), ctx.header("Authorization"));
            route.handler().handle(ctx);
          });
    }
    app.exception(
        HttpResponseException.class,
        (e, ctx) ->
            error(
                ctx,
                new ApiError(
                    e.getStatus(),
                    switch (e.getStatus()) {
                      case 404 -> "no such endpoint: " + ctx.method() + " " + ctx.path();
                      case 405 -> notAllowed(ctx, e.getDetails().get("availableMethods"));
                      case 413 -> RequestBodies.tooLarge().getMessage();
                      default -> "the request was not understood (HTTP " + e.getStatus() + ")";
                    })));
    app.exception(
        Exception.class,
        (e, ctx) ->
            error(
                ctx,
                ErrorTable.answer(e)
                    .orElseGet(
                        () -> {
                          LOG.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
                          return ApiError.INTERNAL;
                        })));
    return app;
  }

  /** The 405 detail; also sets {@code Allow}, which a 405 must carry. */
  private static String notAllowed(Context ctx, String methods) {
    String allowed = methods == null ? "" : methods.replaceAll("[\\[\\]]", "");
    ctx.header("Allow", allowed);
    return ctx.path() + " does not answer " + ctx.method() + "; it answers " + allowed;
  }

  private static void error(Context ctx, ApiError e) {
    e.retryAfterSeconds().ifPresent(s -> ctx.header("Retry-After", String.valueOf(s)));
    if (e.status() == 401) {
      ctx.header("WWW-Authenticate", "Bearer");
    }
    ctx.status(e.status()).json(e.body());
  }
}
