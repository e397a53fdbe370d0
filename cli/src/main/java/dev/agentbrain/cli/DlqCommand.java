package dev.agentbrain.cli;

import dev.agentbrain.cli.DeadLetterRetry.Letter;
import dev.agentbrain.cli.DeadLetterRetry.Outcome;
import dev.agentbrain.events.DeadLetter;
import java.io.PrintWriter;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    subcommands = {DlqCommand.Show.class, DlqCommand.Retry.class},
    description = {
      "List the records the pipeline refused (the dead-letter topic), newest last: id, stage,"
          + " document and reason.",
      "`dlq show ID` prints one in full; `dlq retry` re-drives them once the cause is fixed."
    })
final class DlqCommand implements Callable<Integer> {

  @Option(
      names = "--max",
      defaultValue = "50",
      description = "show at most this many, newest (default: ${DEFAULT-VALUE})")
  int max;

  Supplier<Wiring> wiring = Wiring::fromEnvironment;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Letter> letters = new DeadLetterRetry(wiring.get()).letters();
    List<Letter> shown = letters.subList(Math.max(0, letters.size() - max), letters.size());
    for (Letter letter : shown) {
      DeadLetter dead = letter.letter();
      out.printf(
          "%-6d %s  %-14s %-40s %s%n",
          letter.id(),
          dead.getFailedAt(),
          dead.getStage(),
          letter.documentId().orElse("(no id)"),
          dead.getReason());
    }
    out.println(
        letters.isEmpty()
            ? "the dead-letter topic is empty"
            : shown.size() + " of " + letters.size() + " dead letters shown");
    return AgentBrain.OK;
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print one dead letter in full, and what `dlq retry` would do with it.")
  static final class Show implements Callable<Integer> {

    @ParentCommand DlqCommand parent;

    @Parameters(paramLabel = "ID", description = "the letter's id, as `dlq` lists it")
    long id;

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterRetry retry = new DeadLetterRetry(parent.wiring.get());
      Optional<Letter> found =
          retry.letters().stream().filter(letter -> letter.id() == id).findFirst();
      if (found.isEmpty()) {
        spec.commandLine()
            .getErr()
            .println(
                "no dead letter with id " + id + " — `agent-brain dlq` lists the ids there are");
        return AgentBrain.USAGE;
      }
      Letter letter = found.get();
      DeadLetter dead = letter.letter();
      out.printf("dead letter %d%n", letter.id());
      out.printf("  stage:     %s%n", dead.getStage());
      out.printf("  reason:    %s%n", dead.getReason());
      if (!dead.getErrorClass().isEmpty()) {
        out.printf("  error:     %s%n", dead.getErrorClass());
      }
      out.printf("  failed at: %s%n", dead.getFailedAt());
      out.printf(
          "  from:      %s %d:%d%n",
          dead.getSourceTopic(), dead.getSourcePartition(), dead.getSourceOffset());
      out.printf("  document:  %s%n", letter.documentId().orElse("(the record had no key)"));
      byte[] value = DeadLetterRetry.bytes(dead.getValue());
      out.printf(
          "  value:     %s%n",
          value == null
              ? "none"
              : value.length
                  + " bytes"
                  + retry
                      .document(value)
                      .map(d -> ", source " + d.getSource() + ", version " + d.getVersion())
                      .orElse(""));
      Outcome outcome =
          retry.decide(
              letter,
              letter
                  .documentId()
                  .flatMap(
                      documentId ->
                          Optional.ofNullable(retry.latest(Set.of(documentId)).get(documentId))));
      out.printf("  retry:     %s%n", describe(outcome, true));
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "retry",
      mixinStandardHelpOptions = true,
      description = {
        "Re-drive dead letters through the pipeline once their cause is fixed: the document each"
            + " was refused for is appended to the documents topic again, so the indexer and both"
            + " sinks process it anew.",
        "A letter whose document has a newer version (or was deleted) since is skipped, and so is"
            + " one already re-driven; several letters of one document re-drive it once."
      })
  static final class Retry implements Callable<Integer> {

    @ParentCommand DlqCommand parent;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Selection selection;

    static final class Selection {
      @Option(names = "--all", description = "every dead letter")
      boolean all;

      @Option(
          names = "--stage",
          paramLabel = "S",
          description = "the letters refused at this stage (e.g. embed, contract, sink-chroma)")
      String stage;

      @Option(names = "--id", paramLabel = "ID", description = "this letter (repeatable)")
      List<Long> ids;

      boolean selects(Letter letter) {
        return all
            || (stage != null && stage.equals(letter.letter().getStage()))
            || (ids != null && ids.contains(letter.id()));
      }
    }

    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterRetry retry = new DeadLetterRetry(parent.wiring.get());
      List<Letter> letters = retry.letters().stream().filter(selection::selects).toList();
      if (letters.isEmpty()) {
        out.println("no dead letter matches; nothing re-driven");
        return AgentBrain.OK;
      }
      Map<Letter, Outcome> outcomes = retry.retry(letters);
      int sent = 0;
      int failed = 0;
      Map<DeadLetterRetry.Why, Integer> skipped = new EnumMap<>(DeadLetterRetry.Why.class);
      Set<String> documents = new HashSet<>();
      for (Map.Entry<Letter, Outcome> entry : outcomes.entrySet()) {
        Letter letter = entry.getKey();
        out.printf(
            "%-6d %-14s %-40s %s%n",
            letter.id(),
            letter.letter().getStage(),
            letter.documentId().orElse("(no id)"),
            describe(entry.getValue(), false));
        switch (entry.getValue()) {
          case Outcome.Sent s -> {
            sent++;
            documents.add(s.documentId());
          }
          case Outcome.Skipped s -> skipped.merge(s.why(), 1, Integer::sum);
          case Outcome.Failed f -> failed++;
        }
      }
      StringBuilder summary =
          new StringBuilder()
              .append(sent)
              .append(" sent (")
              .append(documents.size())
              .append(documents.size() == 1 ? " document" : " documents")
              .append(" re-driven), ")
              .append(skipped.values().stream().mapToInt(Integer::intValue).sum())
              .append(" skipped");
      if (!skipped.isEmpty()) {
        summary.append(" (");
        skipped.forEach((why, n) -> summary.append(why.words).append(": ").append(n).append("; "));
        summary.setLength(summary.length() - 2);
        summary.append(")");
      }
      summary.append(", ").append(failed).append(" failed");
      out.println(summary);
      return failed > 0 ? AgentBrain.PARTIAL_FAILURE : AgentBrain.OK;
    }
  }

  private static String describe(Outcome outcome, boolean planned) {
    return switch (outcome) {
      case Outcome.Sent s ->
          planned
              ? "would re-drive the document (documents " + s.partition() + ":" + s.offset() + ")"
              : "sent as documents " + s.partition() + ":" + s.offset();
      case Outcome.Skipped s -> "skipped: " + s.why().words + " (" + s.detail() + ")";
      case Outcome.Failed f -> "failed: " + f.reason();
    };
  }
}
