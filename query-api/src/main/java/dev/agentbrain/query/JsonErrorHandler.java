package dev.agentbrain.query;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own error answers (a request it cannot parse, headers too large, ...) in the API's one
 * shape, {@code {"detail": "..."}}, instead of Jetty's HTML page; these never reach the routes.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(body(status));
  }

  @Override
  protected void generateAcceptableResponse(
      Request baseRequest,
      HttpServletRequest request,
      HttpServletResponse response,
      int code,
      String message)
      throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    response.getOutputStream().write(body(code));
  }

  private static byte[] body(int status) {
    String detail =
        switch (status) {
          case 413 -> "the request is too large";
          case 414 -> "the URL is too long";
          case 431 -> "the request headers are too large";
          default -> "the request could not be read as HTTP (status " + status + ")";
        };
    try {
      return QueryApi.JSON.writeValueAsBytes(Map.of("detail", detail));
    } catch (IOException e) {
      return ("{\"detail\": \"HTTP " + status + "\"}").getBytes(StandardCharsets.UTF_8);
    }
  }
}
