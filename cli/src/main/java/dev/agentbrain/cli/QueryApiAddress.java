package dev.agentbrain.cli;

import dev.agentbrain.config.Settings;
import java.net.URI;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/** Where the query API answers, for the commands that call it (a picocli mixin). */
final class QueryApiAddress {

  @Option(
      names = {"--api", "--url"},
      paramLabel = "URL",
      description =
          "query API base URL (default: http://AGENT_BRAIN_API_HOST:AGENT_BRAIN_API_PORT)")
  URI api;

  /** Where settings come from; tests give their own. */
  Supplier<Wiring> wiring = Wiring::fromEnvironment;

  /** A client of the query API at this address, with the tokens of the settings. */
  ApiClient client() {
    return new ApiClient(this, wiring.get().settings);
  }

  /**
   * The given URL, or the one the settings' {@code agent-brain serve} listens on; no trailing
   * slash.
   */
  String base(Settings settings) {
    String base =
        api != null
            ? api.toString()
            : "http://" + settings.get(Settings.API_HOST) + ":" + settings.get(Settings.API_PORT);
    return base.replaceAll("/+$", "");
  }
}
