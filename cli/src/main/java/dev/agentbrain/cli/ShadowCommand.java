package dev.agentbrain.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = {"Shadow mode", "Not available in this version yet (exit code 4)."})
final class ShadowCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    System.err.println("agent-brain shadow: not available in this version yet");
    return AgentBrain.NOT_AVAILABLE_YET;
  }
}
