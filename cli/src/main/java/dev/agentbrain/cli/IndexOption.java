package dev.agentbrain.cli;

import picocli.CommandLine.Option;

/** {@code --index}, the logical index a command works on, "docs" unless given (a picocli mixin). */
final class IndexOption {

  @Option(
      names = "--index",
      paramLabel = "<index>",
      defaultValue = "docs",
      description = "logical index (default: ${DEFAULT-VALUE})")
  String name;
}
