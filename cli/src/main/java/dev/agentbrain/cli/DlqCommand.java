package dev.agentbrain.cli;

import dev.agentbrain.events.DeadLetter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description =
        "List the records the pipeline refused (the dead-letter topic), newest last, with stage and reason.")
final class DlqCommand implements Callable<Integer> {

  @Option(
      names = "--max",
      defaultValue = "50",
      description = "show at most this many, newest (default: ${DEFAULT-VALUE})")
  int max;

  @Override
  public Integer call() {
    Wiring wiring = Wiring.fromEnvironment();
    List<DeadLetter> letters =
        TopicContents.read(wiring.bootstrap(), wiring.topics().deadLetters(), max);
    for (DeadLetter letter : letters) {
      System.out.printf(
          "%s  %-14s %s-%d@%d  %s%n",
          letter.getFailedAt(),
          letter.getStage(),
          letter.getSourceTopic(),
          letter.getSourcePartition(),
          letter.getSourceOffset(),
          letter.getReason());
    }
    System.out.println(
        letters.isEmpty()
            ? "the dead-letter topic is empty"
            : letters.size() + " dead letters shown");
    return AgentBrain.OK;
  }
}
