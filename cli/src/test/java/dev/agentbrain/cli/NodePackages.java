package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** The npm packages of the tests that drive Agent Brain from Node ({@code src/test/node/*}). */
final class NodePackages {

  private NodePackages() {}

  /**
   * {@code npm ci} in {@code folder} from its lock file when {@code module} is not installed yet (a
   * fresh clone). Its output goes to a file: npm must not share the test JVM's standard streams
   * (Node makes an inherited stdin non-blocking, and the test runner's channel on it then fails
   * with "std/in stream corrupted").
   */
  static void ensureInstalled(Path folder, String module) throws IOException, InterruptedException {
    if (Files.isDirectory(folder.resolve("node_modules").resolve(module))) {
      return;
    }
    Path log = Files.createTempFile("npm-ci-", ".log");
    Process npm =
        new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund", "--loglevel=error")
            .directory(folder.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    assertThat(npm.waitFor(5, TimeUnit.MINUTES)).as("npm ci finished").isTrue();
    assertThat(npm.exitValue()).as("npm ci in %s: %s", folder, Files.readString(log)).isZero();
    Files.delete(log);
  }
}
