package dev.agentbrain.testing;

import java.nio.file.Files;
import java.nio.file.Path;

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
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path corpus = dir.resolve("shared/data/docs-corpus");
      if (Files.isDirectory(corpus)) {
        return corpus;
      }
    }
    throw new IllegalStateException(
        "the docs corpus is not at ../shared/data/docs-corpus beside the repository");
  }
}
