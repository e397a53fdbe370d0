package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderPublisherReadTest {

  @Test
  @DisplayName("a file swapped for a symbolic link after the scan is not read through the link")
  void aSwappedInLinkIsNotFollowed(@TempDir Path root) throws IOException {
    Path secret = Files.writeString(root.resolve("secret.txt"), "outside the folder");
    Path file = Files.writeString(root.resolve("notes.md"), "# Notes\n");
    assertThat(FolderPublisher.read(file)).asString().isEqualTo("# Notes\n");

    Files.delete(file);
    Files.createSymbolicLink(file, secret);

    assertThatThrownBy(() -> FolderPublisher.read(file)).isInstanceOf(IOException.class);
  }

  @Test
  @DisplayName("a file that grew past the limit since the scan is read only one byte past it")
  void readingStopsPastTheLimit(@TempDir Path root) throws IOException {
    Path file = root.resolve("big.txt");
    try (var out = Files.newOutputStream(file)) {
      out.write(new byte[Math.toIntExact(DocumentLimits.MAX_FILE_BYTES + 4096)]);
    }

    assertThat(FolderPublisher.read(file))
        .hasSize(Math.toIntExact(DocumentLimits.MAX_FILE_BYTES + 1));
  }
}
