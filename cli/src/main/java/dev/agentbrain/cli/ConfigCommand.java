package dev.agentbrain.cli;

import dev.agentbrain.config.Setting;
import dev.agentbrain.config.Settings;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description =
        "Print every setting, its environment variable and current value (secrets masked).")
final class ConfigCommand implements Callable<Integer> {

  @Override
  public Integer call() {
    Settings settings = Settings.fromEnvironment();
    for (Setting<?> setting : Settings.ALL) {
      System.out.printf(
          "%-32s %-45s %s%n", setting.env(), settings.display(setting), setting.doc());
    }
    settings.validate();
    return AgentBrain.OK;
  }
}
