package dev.agentbrain.query;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.Objects;

/**
 * One HTTP endpoint of the query service.
 *
 * @param method the HTTP method
 * @param path the path in Javalin's syntax, e.g. {@code /indexes/{name}}; the OpenAPI document must
 *     list it under the same name
 * @param access who may call it when auth is on
 * @param handler what answers it; a failure it throws reaches the client as {@link ErrorTable}
 *     words it
 */
public record Route(HandlerType method, String path, Access access, Handler handler) {
  public Route {
    Objects.requireNonNull(method, "method");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(handler, "handler");
  }

  public static Route get(String path, Access access, Handler handler) {
    return new Route(HandlerType.GET, path, access, handler);
  }

  public static Route post(String path, Access access, Handler handler) {
    return new Route(HandlerType.POST, path, access, handler);
  }
}
