package dev.agentbrain.query;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.function.Function;

/**
 * A servlet served beside the routes (see {@link QueryServer.Builder#servlet}): a JSON-RPC endpoint
 * (MCP), whose POST bodies are read here within the API's body limit and must be one JSON-RPC
 * message.
 *
 * @param path the exact path it answers
 * @param access who may call it when auth is on
 * @param servlet makes it from the services
 */
record ServletMount(String path, Access access, Function<QueryServices, HttpServlet> servlet) {

  ServletMount {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(access, "access");
    Objects.requireNonNull(servlet, "servlet");
  }

  Guarded guarded(ApiAuth auth, QueryServices services) {
    return new Guarded(auth, access, servlet.apply(services));
  }

  /**
   * The servlet behind the API's bearer-token check: a refused request gets the API's one error
   * shape, {@code {"detail": "..."}}, with the same status and wording as a refused route.
   */
  static final class Guarded extends HttpServlet {
    private final transient ApiAuth auth;
    private final Access access;
    private final HttpServlet servlet;

    Guarded(ApiAuth auth, Access access, HttpServlet servlet) {
      this.auth = auth;
      this.access = access;
      this.servlet = servlet;
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
      super.init(config);
      servlet.init(config);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
        throws ServletException, IOException {
      HttpServletRequest admitted;
      try {
        auth.checkCaller(request.getHeader("Host"), request.getHeader("Origin"));
        auth.check(access, request.getHeader("Authorization"));
        admitted = withBoundedBody(request);
      } catch (RuntimeException e) {
        ApiError answer = ErrorTable.answer(e).orElseThrow(() -> e);
        if (answer.status() == 401) {
          response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatus(answer.status());
        response.setContentType("application/json");
        response.getOutputStream().write(QueryApi.JSON.writeValueAsBytes(answer.body()));
        return;
      }
      // the public overload: the protected one is not callable on another servlet
      servlet.service((ServletRequest) admitted, response);
    }

    /**
     * The request with its body read within {@link RequestBodies#MAX_BYTES} (a servlet such as the
     * MCP SDK's reads a body whole, chunked or not).
     *
     * @throws InvalidRequestException for a body too large, or not one JSON-RPC message
     */
    private static HttpServletRequest withBoundedBody(HttpServletRequest request)
        throws IOException {
      if (!"POST".equals(request.getMethod())) {
        return request;
      }
      byte[] body = request.getInputStream().readNBytes(RequestBodies.MAX_BYTES + 1);
      if (body.length > RequestBodies.MAX_BYTES) {
        throw RequestBodies.tooLarge();
      }
      // the MCP SDK answers a body it cannot read as a message with its exception serialised,
      // stack trace and all: such a body is refused here, in the API's words
      if (!isJsonRpcMessage(body)) {
        throw new InvalidRequestException(
            "the request body must be one JSON-RPC 2.0 message, e.g."
                + " {\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/list\"}");
      }
      return new ReadBody(request, body);
    }

    /** A request or notification (a method), or a response (an id and a result or error). */
    private static boolean isJsonRpcMessage(byte[] body) {
      JsonNode message;
      try {
        message = QueryApi.JSON.readTree(body);
      } catch (IOException e) {
        return false;
      }
      return message != null
          && message.isObject()
          && "2.0".equals(message.path("jsonrpc").asText())
          && (message.path("method").isTextual()
              || (message.has("id") && (message.has("result") || message.has("error"))));
    }

    @Override
    public void destroy() {
      servlet.destroy();
    }
  }

  /** A request whose body was read already: the servlet reads it from memory. */
  private static final class ReadBody extends HttpServletRequestWrapper {
    private final byte[] body;

    ReadBody(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    @Override
    public ServletInputStream getInputStream() {
      ByteArrayInputStream in = new ByteArrayInputStream(body);
      return new ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) {
          return in.read(buffer, offset, length);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(ReadListener listener) {
          throw new UnsupportedOperationException("the body was read already");
        }
      };
    }

    @Override
    public BufferedReader getReader() {
      Charset charset =
          getCharacterEncoding() == null
              ? StandardCharsets.UTF_8
              : Charset.forName(getCharacterEncoding(), StandardCharsets.UTF_8);
      return new BufferedReader(new InputStreamReader(getInputStream(), charset));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
