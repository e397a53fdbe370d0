package dev.agentbrain.cli;

import picocli.CommandLine.Option;

/**
 * {@code -h, --help} for the commands whose own {@code --version} option names a contract version.
 * Picocli's standard help mixin also claims {@code --version} (to print the program's version) and
 * is left out silently when a command defines that name itself, which took {@code --help} with it:
 * {@code agent-brain reindex --help} then failed with "Missing required option". These commands mix
 * this in instead of {@code mixinStandardHelpOptions}.
 */
final class HelpOption {

  @Option(
      names = {"-h", "--help"},
      usageHelp = true,
      description = "Show this help message and exit.")
  boolean help;
}
