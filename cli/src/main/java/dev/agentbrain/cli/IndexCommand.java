package dev.agentbrain.cli;

import dev.agentbrain.cli.lifecycle.Migration;
import dev.agentbrain.cli.lifecycle.PromotionCheck;
import dev.agentbrain.cli.lifecycle.Switchover;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.query.shadow.ReconciliationLog;
import dev.agentbrain.sink.ChunkWrites;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "index",
    mixinStandardHelpOptions = true,
    description = "Create, list, switch and drop logical indexes and their contract versions.",
    subcommands = {
      IndexCommand.Create.class,
      IndexCommand.ListIndexes.class,
      IndexCommand.Sql.class,
      IndexCommand.Promote.class,
      IndexCommand.Rollback.class,
      IndexCommand.Drop.class,
      IndexCommand.Migrate.class
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

    @Option(
        names = "--chunk-context",
        negatable = true,
        description = {
          "embed each chunk after the first with its heading path in front; the stored text stays",
          "the chunk's own (default: on; --no-chunk-context to embed the chunk alone)"
        })
    Boolean chunkContext;

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
          contracts.register(
              IndexContracts.draft(name, chosen, language, chunkSize, overlap, chunkContext));
      System.out.println("created " + describe(contract));
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = {
        "List indexes with their live contract; --all adds every other version (a reindex in",
        "progress, or an old version kept for rollback)."
      })
  static final class ListIndexes implements Callable<Integer> {
    @Option(names = "--all", description = "every contract version, not only the live one")
    boolean all;

    @Override
    public Integer call() {
      ContractRegistry contracts = Wiring.fromEnvironment().contracts();
      for (String index : contracts.indexes()) {
        Optional<EmbeddingContract> live = contracts.live(index);
        if (!all) {
          live.ifPresent(c -> System.out.println(describe(c)));
          continue;
        }
        int liveVersion = live.map(EmbeddingContract::getVersion).orElse(0);
        for (EmbeddingContract c : contracts.versions(index)) {
          System.out.println(
              describe(c)
                  + (c.getVersion() == liveVersion
                      ? "  [live]"
                      : c.getVersion() > liveVersion ? "  [not live yet]" : "  [old]"));
        }
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "sql",
      description = {
        "Print the SQL that creates an index's PostgreSQL tables, for a DBA to run when the",
        "indexer's database user may not create objects itself."
      })
  static final class Sql implements Callable<Integer> {
    @Mixin HelpOption help;

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

  @Command(
      name = "promote",
      description = {
        "Verify a version against the document log and every backend (documents and chunks all",
        "there, sample queries answered), then make it the live version of the index: one registry",
        "write, seen by every query API and indexer within seconds. Nothing changes if a check fails."
      })
  static final class Promote implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "index name")
    String name;

    @Option(names = "--version", required = true, description = "version to make live")
    int version;

    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      int before = Switchover.liveVersion(wiring, name).orElse(0);
      if (before == version) {
        System.out.println(name + " v" + version + " is already live");
        return AgentBrain.OK;
      }
      System.out.println("verifying " + name + " v" + version + " ...");
      PromotionCheck.Result result = Switchover.promote(wiring, name, version);
      result.lines().forEach(line -> System.out.println("  " + line));
      if (!result.passed()) {
        result.problems().forEach(p -> System.err.println("agent-brain: " + p));
        System.err.println("agent-brain: " + name + " v" + before + " stays live");
        return AgentBrain.PARTIAL_FAILURE;
      }
      System.out.println(
          "promoted "
              + name
              + " v"
              + version
              + " (was v"
              + before
              + "); undo with `agent-brain index rollback "
              + name
              + "`");
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "rollback",
      mixinStandardHelpOptions = true,
      description = {
        "Make the version that was live before the current one live again, and report how many",
        "documents it missed since it stopped serving (nothing keeps an old version current)."
      })
  static final class Rollback implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "NAME", description = "index name")
    String name;

    @Override
    public Integer call() {
      Switchover.Rollback done = Switchover.rollback(Wiring.fromEnvironment(), name);
      System.out.println(name + " v" + done.to() + " is live again (was v" + done.from() + ")");
      if (done.missedDocuments() > 0) {
        System.out.println(
            "v"
                + done.to()
                + " is stale: "
                + done.missedDocuments()
                + " document(s) were published after it stopped serving — bring it up to date with"
                + " `agent-brain reindex --index "
                + name
                + " --version "
                + done.to()
                + "` (same model: served from the embedding cache)");
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "drop",
      description =
          "Remove a version's stored chunks from every backend. The live version cannot be dropped.")
  static final class Drop implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "index name")
    String name;

    @Option(names = "--version", required = true, description = "version to drop")
    int version;

    @Override
    public Integer call() throws InterruptedException {
      Wiring wiring = Wiring.fromEnvironment();
      if (Switchover.liveVersion(wiring, name).orElse(0) == version) {
        System.err.println(
            "agent-brain: "
                + name
                + " v"
                + version
                + " is live and serves queries; promote another version first");
        return AgentBrain.USAGE;
      }
      if (wiring.contracts().version(name, version).isEmpty()) {
        System.err.println("agent-brain: index " + name + " has no version " + version);
        return AgentBrain.USAGE;
      }
      String physical = dev.agentbrain.contract.ContractRegistry.physicalName(name, version);
      Switchover.drop(wiring, physical)
          .forEach(b -> System.out.println("dropped " + physical + " from " + b.id()));
      List<String> topics = Switchover.forgetReindex(wiring, name, version);
      if (!topics.isEmpty()) {
        System.out.println(
            "removed the reindex's consumer group and " + topics.size() + " internal topic(s)");
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "migrate",
      description = {
        "Copy an index version into another backend by replaying the document log into that backend",
        "only (same model: every vector comes from the shared embedding cache), then compare the",
        "target with the source chunk by chunk (ids, text, vectors within --tolerance) and report.",
        "Exit 0 when identical, 1 when they differ. Then add the backend to AGENT_BRAIN_SINKS."
      })
  static final class Migrate implements Callable<Integer> {
    @Mixin HelpOption help;

    @Parameters(index = "0", paramLabel = "NAME", description = "index name")
    String name;

    @Option(
        names = "--from",
        required = true,
        description = "backend that holds the index: postgres or chroma")
    Backend from;

    @Option(
        names = "--to",
        required = true,
        description = "backend to copy it into: postgres or chroma")
    Backend to;

    @Option(names = "--version", description = "version to migrate (default: the live one)")
    Integer version;

    @Option(
        names = "--tolerance",
        defaultValue = "1e-4",
        description = "largest difference allowed per vector component (default: ${DEFAULT-VALUE})")
    double tolerance;

    @Option(
        names = "--wait",
        defaultValue = "600",
        description = "seconds to wait for the replay to catch up (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Override
    public Integer call() throws InterruptedException {
      if (from == to) {
        throw new IllegalArgumentException("--from and --to must be different backends");
      }
      Wiring wiring = Wiring.fromEnvironment();
      ContractRegistry contracts = wiring.contracts();
      EmbeddingContract contract =
          (version == null ? contracts.live(name) : contracts.version(name, version))
              .orElseThrow(
                  () -> new IllegalArgumentException("index " + name + " has no such version"));
      System.out.println(
          "migrating "
              + ContractRegistry.physicalName(name, contract.getVersion())
              + " from "
              + from.id()
              + " to "
              + to.id());
      try (Migration migration =
              Migration.start(wiring, contract, to, wiring.indexerOptions("migrate-state"));
          ReindexProgressLine progress = new ReindexProgressLine(wiring, List.of(from, to));
          Admin admin = wiring.admin()) {
        long deadline = System.nanoTime() + Duration.ofSeconds(waitSeconds).toNanos();
        while (!migration.caughtUp(admin) && System.nanoTime() < deadline) {
          Thread.sleep(5_000);
          System.out.println(
              ReindexProgressLine.format(
                  progress.sample(name, contract.getVersion(), migration.applicationId()),
                  migration.service().metrics()));
        }
        ReconciliationResult result =
            migration.compare(from, tolerance, Duration.ofSeconds(waitSeconds));
        ShadowReportText.reconciliation(ReconciliationLog.toJson(name, result), System.out);
        if (!result.identical()) {
          System.err.println(
              "agent-brain: "
                  + to.id()
                  + " differs from "
                  + from.id()
                  + " — see the differences above; if the source was built before the shared"
                  + " embedding cache, its vectors were made in other batches (cosine ~0.995):"
                  + " raise --tolerance or rebuild the index with `agent-brain reindex`");
          return AgentBrain.PARTIAL_FAILURE;
        }
        System.out.println(
            to.id()
                + " holds the same chunks as "
                + from.id()
                + "; add it to AGENT_BRAIN_SINKS (and restart the indexer) to keep it current");
        return AgentBrain.OK;
      }
    }
  }

  static String describe(EmbeddingContract c) {
    return String.format(
        "%s v%d: %s/%s, %d dimensions, %s, chunks of %d tokens (overlap %d%s), text search %s",
        c.getIndex(),
        c.getVersion(),
        c.getProvider(),
        c.getModel(),
        c.getDimensions(),
        c.getMetric().name().toLowerCase(),
        c.getChunkMaxTokens(),
        c.getChunkOverlapTokens(),
        c.getChunkContext() ? ", with heading context" : "",
        c.getTextSearchLanguage());
  }
}
