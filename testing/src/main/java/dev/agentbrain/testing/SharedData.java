package dev.agentbrain.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The data sets beside the repository ({@code ../shared/data}), for tests that need real text. */
public final class SharedData {

  private SharedData() {}

  /**
   * The docs corpus: 1,818 Markdown pages of the OpenSearch documentation (Apache-2.0), found in
   * {@code shared/data/docs-corpus} beside the working directory or one of its parents.
   *
   * @throws IllegalStateException when it is not there
   */
  public static Path docsCorpus() {
    return find("docs-corpus")
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the docs corpus is not at ../shared/data/docs-corpus beside the repository"));
  }

  /**
   * {@code shared/data/<name>} in the working directory or the nearest of its parents that holds it
   * (a worktree finds the same data as the main checkout).
   */
  static Optional<Path> find(String name) {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path data = dir.resolve("shared/data").resolve(name);
      if (Files.isDirectory(data)) {
        return Optional.of(data);
      }
    }
    return Optional.empty();
  }
}
