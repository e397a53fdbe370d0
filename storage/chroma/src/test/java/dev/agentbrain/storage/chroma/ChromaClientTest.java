package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentbrain.storage.StorageUnavailableException;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChromaClientTest {

  @Test
  @DisplayName("a server that does not answer is unavailable, with a message that says what to do")
  void unreachableServer() throws IOException {
    URI url = URI.create("http://127.0.0.1:" + freePort());

    try (ChromaClient client = new ChromaClient(ChromaConfig.of(url))) {
      assertThatThrownBy(client::heartbeat)
          .isInstanceOf(StorageUnavailableException.class)
          .hasMessage(
              "Chroma at "
                  + url
                  + " is not reachable while checking its heartbeat; check that it runs (`make up`"
                  + " starts it) and retry");
    }
  }

  @Test
  @DisplayName("an upsert with a record without embedding is refused before anything is sent")
  void upsertWithoutEmbeddingIsRefused() throws IOException {
    URI url = URI.create("http://127.0.0.1:" + freePort());
    List<ChromaClient.Record> records =
        List.of(
            new ChromaClient.Record("a", new float[] {1, 0}, "x", Map.of()),
            new ChromaClient.Record("b", new float[0], "y", Map.of()));

    try (ChromaClient client = new ChromaClient(ChromaConfig.of(url))) {
      assertThatThrownBy(() -> client.upsert("id", records))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("b has 0");
    }
  }

  @Test
  @DisplayName("a trailing slash on the server URL is ignored")
  void trailingSlash() {
    assertThat(ChromaConfig.of(URI.create("http://h:1/")).baseUrl())
        .isEqualTo(URI.create("http://h:1"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
