package dev.agentbrain.query;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads a request's JSON body within {@link #MAX_BYTES}, however it arrives: bytes are counted
 * while reading and reading stops at the limit, so a chunked body (no {@code Content-Length}) is
 * never held whole in memory.
 */
final class RequestBodies {

  /** The largest body any route accepts. */
  static final int MAX_BYTES = 1 << 20;

  private RequestBodies() {}

  /**
   * The body as text.
   *
   * @throws InvalidRequestException {@link InvalidRequestException.Reason#TOO_LARGE} when it is
   *     larger than {@link #MAX_BYTES}, {@link InvalidRequestException.Reason#NOT_JSON} when a
   *     non-empty body is not {@code application/json}
   */
  static String json(Context ctx) {
    byte[] body = read(ctx);
    if (body.length > 0 && !isJson(ctx.header("Content-Type"))) {
      throw new InvalidRequestException(
          InvalidRequestException.Reason.NOT_JSON,
          "the request body must be JSON: send the header 'Content-Type: application/json'");
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static byte[] read(Context ctx) {
    try (InputStream in = ctx.req().getInputStream()) {
      byte[] body = in.readNBytes(MAX_BYTES + 1);
      if (body.length > MAX_BYTES) {
        throw tooLarge();
      }
      return body;
    } catch (IOException e) {
      throw new InvalidRequestException("the request body could not be read: send it again");
    }
  }

  static InvalidRequestException tooLarge() {
    return new InvalidRequestException(
        InvalidRequestException.Reason.TOO_LARGE,
        "the request body is larger than " + MAX_BYTES / 1024 + " KiB: send a smaller one");
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
    return type.equals("application/json") || type.endsWith("+json");
  }
}
