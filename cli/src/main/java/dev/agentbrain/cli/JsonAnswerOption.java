package dev.agentbrain.cli;

import picocli.CommandLine.Option;

/** {@code --json}: print the query API's answer as it came, not as a table (a picocli mixin). */
final class JsonAnswerOption {

  @Option(names = "--json", description = "print the API's answer as JSON")
  boolean on;
}
