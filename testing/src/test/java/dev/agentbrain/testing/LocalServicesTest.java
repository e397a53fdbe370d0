package dev.agentbrain.testing;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

class LocalServicesTest {

  @Test
  @DisplayName("a service that does not accept connections fails the test and says how to start it")
  void unreachableTcpServiceFails() throws IOException {
    int port = freePort();

    assertThatThrownBy(() -> LocalServices.requireTcp("Kafka", "127.0.0.1", port, "here:" + port))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("Kafka is not reachable at here:" + port + " — start it with `make up`");
  }

  @Test
  @DisplayName("an HTTP service that does not answer fails the test and says how to start it")
  void unreachableHttpServiceFails() throws IOException {
    URI base = URI.create("http://127.0.0.1:" + freePort());

    assertThatThrownBy(() -> LocalServices.requireHttp("Chroma", base, "/api/v2/heartbeat"))
        .isInstanceOf(AssertionFailedError.class)
        .hasMessage("Chroma is not reachable at " + base + " — start it with `make up`");
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
