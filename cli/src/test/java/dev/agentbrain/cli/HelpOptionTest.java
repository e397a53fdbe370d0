package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import picocli.CommandLine;

class HelpOptionTest {

  /** Every command path of the CLI, e.g. {@code [index, promote]}, found from the command tree. */
  static Stream<List<String>> commandPaths() {
    List<List<String>> paths = new ArrayList<>();
    collect(new CommandLine(new AgentBrain()), new ArrayList<>(), paths);
    return paths.stream();
  }

  private static void collect(CommandLine command, List<String> path, List<List<String>> paths) {
    paths.add(List.copyOf(path));
    command
        .getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> deeper = new ArrayList<>(path);
              deeper.add(name);
              collect(sub, deeper, paths);
            });
  }

  @ParameterizedTest(name = "agent-brain {0} --help")
  @MethodSource("commandPaths")
  @DisplayName(
      "every command answers --help with its usage and exit code 0, required options or not")
  void everyCommandHasHelp(List<String> path) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(new AgentBrain());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    List<String> args = new ArrayList<>(path);
    args.add("--help");

    int exitCode = cli.execute(args.toArray(String[]::new));

    assertThat(err.toString()).isEmpty();
    assertThat(exitCode).isZero();
    assertThat(out.toString())
        .startsWith(("Usage: agent-brain " + String.join(" ", path)).trim())
        .contains("-h, --help");
  }
}
