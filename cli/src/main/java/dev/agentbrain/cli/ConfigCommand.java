package dev.agentbrain.cli;

import dev.agentbrain.config.ConfigurationReference;
import dev.agentbrain.config.Setting;
import dev.agentbrain.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print every setting, its environment variable and current value (secrets masked).")
final class ConfigCommand implements Callable<Integer> {

  @Option(
      names = "--markdown",
      description = "Print the configuration reference (defaults, not current values) as Markdown.")
  boolean markdown;

  @Override
  public Integer call() {
    if (markdown) {
      System.out.print(ConfigurationReference.markdown());
      return AgentBrain.OK;
    }
    Settings settings = Settings.fromEnvironment();
    for (Setting<?> setting : Settings.REFERENCE) {
      System.out.printf(
          "%-32s %-45s %s%n", setting.env(), settings.display(setting), setting.doc());
    }
    settings.validate();
    return AgentBrain.OK;
  }
}
