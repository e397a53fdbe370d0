package dev.agentbrain.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "reindex",
    mixinStandardHelpOptions = true,
    description = {
      "Rebuild an index from the document log into a new version (new model, dimensions or chunking), then switch over with no downtime.",
      "Not available in this version yet (exit code 4)."
    })
final class ReindexCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("agent-brain reindex: not available in this version yet");
    return AgentBrain.NOT_AVAILABLE_YET;
  }
}
