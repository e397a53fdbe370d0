package dev.agentbrain.query;

import jakarta.servlet.ServletConfig;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * A servlet served beside the routes (see {@link QueryServer.Builder#servlet}).
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
      try {
        auth.checkCaller(request.getHeader("Host"), request.getHeader("Origin"));
        auth.check(access, request.getHeader("Authorization"));
      } catch (ApiException e) {
        if (e.status() == 401) {
          response.setHeader("WWW-Authenticate", "Bearer");
        }
        response.setStatus(e.status());
        response.setContentType("application/json");
        response
            .getOutputStream()
            .write(QueryApi.JSON.writeValueAsBytes(Map.of("detail", e.getMessage())));
        return;
      }
      // the public overload: the protected one is not callable on another servlet
      servlet.service((ServletRequest) request, response);
    }

    @Override
    public void destroy() {
      servlet.destroy();
    }
  }
}
