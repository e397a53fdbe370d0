package dev.agentbrain.cli;

import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.postgres.PostgresStore;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Create and list logical indexes and their embedding contracts.",
    subcommands = {
      IndexCommand.Create.class,
      IndexCommand.ListIndexes.class,
      IndexCommand.Sql.class
    })
final class IndexCommand implements Runnable {

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "create",
      mixinStandardHelpOptions = true,
      description = "Register the embedding contract of a new index (version 1).")
  static final class Create implements Callable<Integer> {
    @Parameters(
        index = "0",
        paramLabel = "NAME",
        description = "index name: lower-case letters, digits, underscores")
    String name;

    @Option(
        names = "--model",
        description = "embedding model (default: AGENT_BRAIN_EMBEDDING_MODEL)")
    String model;

    @Option(
        names = "--language",
        defaultValue = "english",
        description = "PostgreSQL text-search configuration (default: ${DEFAULT-VALUE})")
    String language;

    @Option(
        names = "--chunk-size",
        description = "most tokens per chunk (default: 400, or the model's limit)")
    Integer chunkSize;

    @Option(names = "--overlap", description = "tokens shared by neighbouring chunks (default: 50)")
    Integer overlap;

    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      ContractRegistry contracts = wiring.contracts();
      Optional<EmbeddingContract> live = contracts.live(name);
      if (live.isPresent()) {
        System.err.println(
            "agent-brain: index "
                + name
                + " already exists (live version "
                + live.get().getVersion()
                + ")");
        return AgentBrain.USAGE;
      }
      String chosen = model != null ? model : wiring.settings.get(Settings.EMBEDDING_MODEL);
      EmbeddingContract contract =
          contracts.register(IndexContracts.draft(name, chosen, language, chunkSize, overlap));
      System.out.println("created " + describe(contract));
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List indexes with their live contract.")
  static final class ListIndexes implements Callable<Integer> {
    @Override
    public Integer call() {
      ContractRegistry contracts = Wiring.fromEnvironment().contracts();
      for (String index : contracts.indexes()) {
        contracts.live(index).ifPresent(c -> System.out.println(describe(c)));
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "sql",
      mixinStandardHelpOptions = true,
      description = {
        "Print the SQL that creates an index's PostgreSQL tables, for a DBA to run when the",
        "indexer's database user may not create objects itself."
      })
  static final class Sql implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "index name")
    String name;

    @Option(names = "--version", description = "contract version (default: the live one)")
    Integer version;

    @Override
    public Integer call() {
      ContractRegistry contracts = Wiring.fromEnvironment().contracts();
      Optional<EmbeddingContract> contract =
          version == null ? contracts.live(name) : contracts.version(name, version);
      if (contract.isEmpty()) {
        System.err.println(
            "agent-brain: index " + name + " has no such contract — see `agent-brain index list`");
        return AgentBrain.USAGE;
      }
      System.out.println(PostgresStore.ddl(ChunkWrites.spec(contract.get())));
      return AgentBrain.OK;
    }
  }

  static String describe(EmbeddingContract c) {
    return String.format(
        "%s v%d: %s/%s, %d dimensions, %s, chunks of %d tokens (overlap %d), text search %s",
        c.getIndex(),
        c.getVersion(),
        c.getProvider(),
        c.getModel(),
        c.getDimensions(),
        c.getMetric().name().toLowerCase(),
        c.getChunkMaxTokens(),
        c.getChunkOverlapTokens(),
        c.getTextSearchLanguage());
  }
}
