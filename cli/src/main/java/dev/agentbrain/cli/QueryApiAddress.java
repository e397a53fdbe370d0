package dev.agentbrain.cli;

import dev.agentbrain.config.Settings;
import java.net.URI;
import picocli.CommandLine.Option;

/** Where the query API answers, for the commands that call it (a picocli mixin). */
final class QueryApiAddress {

  @Option(
      names = {"--api", "--url"},
      paramLabel = "URL",
      description =
          "query API base URL (default: http://AGENT_BRAIN_API_HOST:AGENT_BRAIN_API_PORT)")
  URI api;

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
