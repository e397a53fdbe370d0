package dev.agentbrain.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A Chroma server of a test's own (the npm install {@code make up} made), on a free port with its
 * own data folder, so that a test can stop and restart it without touching the shared one.
 */
public final class PrivateChroma implements AutoCloseable {

  private final Path dir;
  private final int port;
  private ServiceProcess process;

  private PrivateChroma(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a server keeping its data and log in {@code dir}; returns once it answers. */
  public static PrivateChroma start(Path dir) {
    PrivateChroma chroma = new PrivateChroma(dir, ServiceProcess.freePort());
    chroma.start();
    return chroma;
  }

  /** Its base URL. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port);
  }

  /** Starts it again on the same port and data, after {@link #stop}. */
  public void start() {
    Path cli =
        ServiceProcess.agentBrainHome().resolve("chroma/npm/node_modules/chromadb/dist/cli.mjs");
    process =
        ServiceProcess.spawn(
                "chroma",
                List.of(
                    "node",
                    cli.toString(),
                    "run",
                    "--path",
                    dir.resolve("data").toString(),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    String.valueOf(port)),
                dir.resolve("chroma.log"))
            .awaitReady(this::answers, Duration.ofMinutes(2));
  }

  /** Stops it: SIGINT (it ignores SIGTERM), SIGKILL after 15 s. */
  public void stop() {
    process.stop("INT", Duration.ofSeconds(15));
  }

  private boolean answers() {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url() + "/api/v2/heartbeat"))
              .timeout(Duration.ofSeconds(2))
              .build();
      return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  @Override
  public void close() {
    stop();
  }
}
