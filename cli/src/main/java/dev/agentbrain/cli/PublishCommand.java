package dev.agentbrain.cli;

import dev.agentbrain.config.Settings;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FolderPublisher;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = {
      "Publish files and folders (recursively) to the document topic.",
      "The index is created with the default embedding model when it does not exist.",
      "Exit codes: 0 all published, 1 some files failed, 2 bad arguments, 3 Kafka or the registry unreachable."
    })
final class PublishCommand implements Callable<Integer> {

  @Option(
      names = "--index",
      defaultValue = "docs",
      description = "logical index (default: ${DEFAULT-VALUE})")
  String index;

  @Parameters(arity = "1..*", paramLabel = "PATH", description = "files or folders to publish")
  List<Path> paths;

  @Override
  public Integer call() {
    Wiring wiring = Wiring.fromEnvironment();
    for (Path path : paths) {
      if (!Files.exists(path)) {
        throw new IllegalArgumentException(path + " does not exist");
      }
    }
    EmbeddingContract contract =
        IndexContracts.ensure(
            wiring.contracts(), index, wiring.settings.get(Settings.EMBEDDING_MODEL));
    int failed = 0;
    long started = System.nanoTime();
    try (DocumentPublisher publisher =
        DocumentPublisher.connect(wiring.bootstrap(), wiring.topics())) {
      FolderPublisher folders = new FolderPublisher(publisher, "agent-brain-cli@" + hostName());
      for (Path path : paths) {
        FolderPublisher.Summary summary = folders.publish(path, index);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
            "%s: published %d files (%.1f MB) to index %s v%d in %.1f s (%.0f files/s); skipped %d, failed %d%n",
            path,
            summary.published(),
            summary.bytes() / 1e6,
            index,
            contract.getVersion(),
            seconds,
            summary.published() / Math.max(seconds, 1e-3),
            summary.skipped().size(),
            summary.failed().size());
        summary.failed().forEach(f -> System.err.println("  failed: " + f));
        failed += summary.failed().size();
      }
    }
    return failed == 0 ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
