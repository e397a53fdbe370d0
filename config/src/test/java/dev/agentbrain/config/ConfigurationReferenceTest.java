package dev.agentbrain.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ConfigurationReferenceTest {

  private static final String BEGIN =
      "<!-- settings: made by `agent-brain config --markdown` -->\n";
  private static final String END = "<!-- end of settings -->";

  @Test
  @DisplayName("docs/configuration.md lists every setting exactly as the code declares it")
  void theReferenceIsTheCode() throws IOException {
    String doc = Files.readString(repositoryRoot().resolve("docs/configuration.md"));
    int begin = doc.indexOf(BEGIN);
    int end = doc.indexOf(END);
    assertTrue(begin >= 0 && end > begin, "docs/configuration.md lacks the markers " + BEGIN);
    assertEquals(
        ConfigurationReference.markdown(),
        doc.substring(begin + BEGIN.length(), end),
        "docs/configuration.md is out of date: paste the output of `bin/agent-brain config"
            + " --markdown` between its markers");
  }

  @Test
  @DisplayName("the embedding threads default to one per core, and take a number")
  void threadsDefaultToCores() {
    assertEquals(
        Runtime.getRuntime().availableProcessors(),
        Settings.of(java.util.Map.of()).get(Settings.EMBEDDING_THREADS));
    assertEquals(
        3,
        Settings.of(java.util.Map.of("AGENT_BRAIN_EMBEDDING_THREADS", "3"))
            .get(Settings.EMBEDDING_THREADS));
  }

  private static Path repositoryRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("docs/configuration.md"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no docs/configuration.md above the working directory");
  }
}
