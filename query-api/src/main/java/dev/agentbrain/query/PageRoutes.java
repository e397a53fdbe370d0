package dev.agentbrain.query;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The pages people open in a browser: search ({@code /}), both backends side by side with the
 * shadow report ({@code /compare}) and indexing ({@code /indexing}), with their script and style
 * ({@code /page/{file}}). Plain files from {@code /pages} on the classpath, no build step, nothing
 * fetched from elsewhere. The pages are open; everything they show comes from the API with the
 * token the reader types in when auth is on.
 */
final class PageRoutes implements RouteGroup {

  private static final String FOLDER = "/pages/";
  private static final Map<String, String> ASSETS =
      Map.of("app.js", "text/javascript; charset=utf-8", "app.css", "text/css; charset=utf-8");

  /** No script, style, frame or connection from anywhere but this server. */
  private static final String POLICY =
      "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'";

  private final Map<String, byte[]> files = new LinkedHashMap<>();

  PageRoutes() {
    for (String name : List.of("search.html", "compare.html", "indexing.html")) {
      files.put(name, read(name));
    }
    ASSETS.keySet().forEach(name -> files.put(name, read(name)));
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.get("/", Access.OPEN, ctx -> html(ctx, "search.html")),
        Route.get("/compare", Access.OPEN, ctx -> html(ctx, "compare.html")),
        Route.get("/indexing", Access.OPEN, ctx -> html(ctx, "indexing.html")),
        Route.get("/page/{file}", Access.OPEN, this::asset));
  }

  private void html(Context ctx, String name) {
    send(ctx, "text/html; charset=utf-8", name);
  }

  private void asset(Context ctx) {
    String name = ctx.pathParam("file");
    String type = ASSETS.get(name);
    if (type == null) {
      throw new NotFoundException("no such page file: " + name);
    }
    send(ctx, type, name);
  }

  private void send(Context ctx, String type, String name) {
    ctx.header("Content-Security-Policy", POLICY)
        .header("X-Content-Type-Options", "nosniff")
        .header("Cache-Control", "no-cache")
        .contentType(type)
        .result(files.get(name));
  }

  private static byte[] read(String name) {
    try (InputStream in = PageRoutes.class.getResourceAsStream(FOLDER + name)) {
      if (in == null) {
        throw new IllegalStateException(FOLDER + name + " is missing from the classpath");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
