package dev.agentbrain.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.agentbrain.config.Settings;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Checks, at the start of an integration test, that a local service is reachable, and fails the
 * test (never skips it) with a message that names the service and says how to start it.
 *
 * <p>Reads the services' addresses from the environment through {@link Settings}, so unset
 * variables take the project's defaults. Typical use: {@code @BeforeAll static void services() { pg
 * = LocalServices.requirePostgres(); }}.
 */
public final class LocalServices {

  // generous: a loaded CI machine (load 30 on 2 cores) made the registry take over 3 s to answer
  private static final Duration TIMEOUT = Duration.ofSeconds(15);
  private static final String START = " — start it with `make up`";

  private LocalServices() {}

  /** Where PostgreSQL is, as the project's settings say. */
  public record Postgres(String jdbcUrl, String user, String password) {
    @Override
    public String toString() {
      return "Postgres[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
  }

  /**
   * PostgreSQL ({@code AGENT_BRAIN_PG_URL}, {@code _USER}, {@code _PASSWORD}) accepts connections.
   */
  public static Postgres requirePostgres() {
    Settings settings = Settings.fromEnvironment();
    String url = settings.get(Settings.PG_URL);
    URI address = URI.create(url.replaceFirst("^jdbc:", ""));
    int port = address.getPort() < 0 ? 5432 : address.getPort();
    requireTcp("PostgreSQL", address.getHost(), port, url);
    return new Postgres(url, settings.get(Settings.PG_USER), settings.get(Settings.PG_PASSWORD));
  }

  /** Chroma ({@code AGENT_BRAIN_CHROMA_URL}) answers its heartbeat; returns its base URL. */
  public static URI requireChroma() {
    URI base = Settings.fromEnvironment().get(Settings.CHROMA_URL);
    requireHttp("Chroma", base, "/api/v2/heartbeat");
    return base;
  }

  /** Kafka ({@code AGENT_BRAIN_KAFKA_BOOTSTRAP}, first server) accepts connections. */
  public static String requireKafka() {
    String bootstrap = Settings.fromEnvironment().get(Settings.KAFKA_BOOTSTRAP);
    String first = bootstrap.split(",")[0].trim();
    int colon = first.lastIndexOf(':');
    if (colon < 0) {
      return fail("AGENT_BRAIN_KAFKA_BOOTSTRAP must be host:port, not '" + bootstrap + "'");
    }
    requireTcp(
        "Kafka", first.substring(0, colon), Integer.parseInt(first.substring(colon + 1)), first);
    return bootstrap;
  }

  /** The schema registry ({@code AGENT_BRAIN_REGISTRY_URL}) answers; returns its base URL. */
  public static URI requireRegistry() {
    URI base = Settings.fromEnvironment().get(Settings.REGISTRY_URL);
    requireHttp("Apicurio Registry", base, "/apis/registry/v3/system/info");
    return base;
  }

  static void requireTcp(String service, String host, int port, String shown) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) TIMEOUT.toMillis());
    } catch (IOException e) {
      fail(service + " is not reachable at " + shown + START, e);
    }
  }

  static void requireHttp(String service, URI base, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT).GET().build();
    try (HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build()) {
      int status = client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
      if (status / 100 != 2) {
        fail(service + " at " + base + " answered HTTP " + status + " to " + path + START);
      }
    } catch (IOException e) {
      fail(service + " is not reachable at " + base + START, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      fail("interrupted while checking " + service + " at " + base, e);
    }
  }
}
