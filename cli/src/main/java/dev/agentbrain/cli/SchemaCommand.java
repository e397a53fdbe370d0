package dev.agentbrain.cli;

import dev.agentbrain.registry.RegistryClient;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "schema",
    mixinStandardHelpOptions = true,
    description = "Show the event schemas and embedding contracts held in the schema registry.",
    subcommands = {SchemaCommand.ListSchemas.class, SchemaCommand.Show.class})
final class SchemaCommand implements Runnable {

  /** Group in which the Avro serdes register event schemas (one artifact per topic value). */
  static final String EVENTS_GROUP = "default";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List event schemas and contracts with their versions.")
  static final class ListSchemas implements Callable<Integer> {
    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      RegistryClient registry = wiring.registryClient();
      String contracts = wiring.contracts().group();
      System.out.println("event schemas (group " + EVENTS_GROUP + "):");
      print(registry, EVENTS_GROUP);
      System.out.println("embedding contracts (group " + contracts + "):");
      print(registry, contracts);
      return AgentBrain.OK;
    }

    private static void print(RegistryClient registry, String group) {
      for (String artifact : registry.artifacts(group)) {
        List<String> versions = registry.versions(group, artifact);
        System.out.printf("  %-40s versions %s%n", artifact, String.join(", ", versions));
      }
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "Print the newest version of a schema or contract.")
  static final class Show implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "ARTIFACT",
        description = "e.g. agentbrain.documents-value, or an index name for its contract")
    String artifact;

    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      RegistryClient registry = wiring.registryClient();
      for (String group : List.of(EVENTS_GROUP, wiring.contracts().group())) {
        List<String> versions = registry.versions(group, artifact);
        if (!versions.isEmpty()) {
          String last = versions.get(versions.size() - 1);
          System.out.println(registry.content(group, artifact, last).orElseThrow());
          return AgentBrain.OK;
        }
      }
      System.err.println(
          "agent-brain: no schema or contract named "
              + artifact
              + " — see `agent-brain schema list`");
      return AgentBrain.USAGE;
    }
  }
}
