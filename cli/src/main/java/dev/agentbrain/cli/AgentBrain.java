package dev.agentbrain.cli;

import dev.agentbrain.config.ConfigException;
import dev.agentbrain.publish.KafkaUnavailableException;
import dev.agentbrain.registry.RegistryException;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code agent-brain}: the one command-line entry point. */
@Command(
    name = "agent-brain",
    mixinStandardHelpOptions = true,
    version = "agent-brain 0.1.0",
    description = "Event-driven indexing pipeline for retrieval-augmented generation.",
    subcommands = {
      PublishCommand.class,
      IndexerCommand.class,
      ServeCommand.class,
      McpCommand.class,
      QueryCommand.class,
      IndexCommand.class,
      SchemaCommand.class,
      ReindexCommand.class,
      ShadowCommand.class,
      DlqCommand.class,
      ConfigCommand.class,
      FoldersCommand.class,
      JobsCommand.class
    })
public final class AgentBrain implements Runnable {

  /** Exit codes that scripts can rely on. */
  public static final int OK = 0;

  public static final int PARTIAL_FAILURE = 1;
  public static final int USAGE = 2;
  public static final int SERVICE_UNAVAILABLE = 3;
  public static final int NOT_AVAILABLE_YET = 4;

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    // libraries that log through java.util.logging (the registry client) follow logback.xml too
    SLF4JBridgeHandler.removeHandlersForRootLogger();
    SLF4JBridgeHandler.install();
    CommandLine cli = new CommandLine(new AgentBrain());
    cli.setCaseInsensitiveEnumValuesAllowed(true); // --to postgres, as users type backend names
    cli.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          commandLine.getErr().println("agent-brain: " + message(e));
          return exitCode(e);
        });
    System.exit(cli.execute(args));
  }

  private static String message(Exception e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  private static int exitCode(Exception e) {
    if (e instanceof KafkaUnavailableException
        || e instanceof RegistryException
        || e instanceof ApiClient.UnreachableException) {
      return SERVICE_UNAVAILABLE;
    }
    if (e instanceof ConfigException || e instanceof IllegalArgumentException) {
      return USAGE;
    }
    return PARTIAL_FAILURE;
  }
}
