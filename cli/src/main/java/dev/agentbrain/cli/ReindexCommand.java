package dev.agentbrain.cli;

import dev.agentbrain.cli.lifecycle.PromotionCheck;
import dev.agentbrain.cli.lifecycle.Switchover;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.query.reindex.ReindexProgress;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Scanner;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reindex",
    description = {
      "Rebuild an index from the document log into a new contract version (another model, dimensions,",
      "chunking or text-search language) beside the live one, which keeps serving queries. The reindex",
      "replays the log from its beginning, then keeps following it, so documents published meanwhile",
      "end up in both versions. The running indexer's sinks store the new version's chunks.",
      "Stop it at any time and run the same command again (or add --version N) to resume.",
      "Switch over with --promote, or later with `agent-brain index promote`."
    })
final class ReindexCommand implements Callable<Integer> {

  @Mixin HelpOption help;

  /**
   * How long a reindex keeps following the log after its version went live: the indexers and query
   * APIs see the switch within their contract cache time (5 s) plus one batch wait, and a document
   * published meanwhile must still reach the new version.
   */
  static final Duration HANDOVER = Duration.ofSeconds(15);

  @Option(names = "--index", required = true, description = "logical index to rebuild")
  String index;

  @Option(
      names = "--model",
      description = "embedding model of the new version (default: the live one's)")
  String model;

  @Option(
      names = "--dimensions",
      description =
          "dimensions the new model must produce (checked against the model; for a served model,"
              + " set AGENT_BRAIN_OPENAI_DIMENSIONS to ask for them)")
  Integer dimensions;

  @Option(names = "--chunk-size", description = "most tokens per chunk (default: the live one's)")
  Integer chunkSize;

  @Option(
      names = {"--chunk-overlap", "--overlap"},
      description = "tokens shared by neighbouring chunks (default: the live one's)")
  Integer overlap;

  @Option(names = "--language", description = "text-search configuration (default: the live one's)")
  String language;

  @Option(
      names = "--chunk-context",
      negatable = true,
      description = {
        "embed each chunk after the first with its heading path in front (default: the live",
        "one's, or on with a new --model); --no-chunk-context embeds the chunk alone"
      })
  Boolean chunkContext;

  @Option(
      names = "--version",
      description = "resume (or re-follow) an existing version instead of registering a new one")
  Integer version;

  @Option(
      names = "--promote",
      description =
          "switch over once the new version has caught up and passed verification, then stop")
  boolean promote;

  @Option(
      names = "--force-reindex",
      description = {
        "rebuild the LIVE version in place: its stored chunks are dropped first, so queries find",
        "fewer results until the replay has caught up. Asks for confirmation."
      })
  boolean forceReindex;

  @Option(names = "--yes", description = "do not ask for confirmation")
  boolean yes;

  @Override
  public Integer call() throws InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    ContractRegistry contracts = wiring.contracts();
    EmbeddingContract live =
        contracts
            .live(index)
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "index "
                            + index
                            + " does not exist — create it with `agent-brain index create "
                            + index
                            + "`"));
    PrintStream out = System.out;
    EmbeddingContract pinned;
    String applicationId;
    if (forceReindex) {
      if (!confirmed(live)) {
        System.err.println("agent-brain: nothing changed");
        return AgentBrain.USAGE;
      }
      pinned = live;
      applicationId =
          wiring.topics().reindexApplicationId(index, live.getVersion())
              + "-rebuild-"
              + Instant.now().getEpochSecond();
      String physical = ContractRegistry.physicalName(index, live.getVersion());
      Switchover.drop(wiring, physical)
          .forEach(b -> out.println("dropped " + physical + " from " + b.id()));
      out.println("rebuilding " + physical + " in place");
    } else {
      pinned = target(contracts, live);
      applicationId = wiring.topics().reindexApplicationId(index, pinned.getVersion());
    }
    if (!forceReindex) {
      Switchover.prepareBulkLoad(wiring, pinned);
    }
    out.println("reindexing into " + IndexCommand.describe(pinned));
    if (!forceReindex) {
      out.println("live version stays " + live.getVersion() + " until the switch-over");
    }
    IndexerService service =
        IndexerService.reindex(
            wiring.indexerOptions("reindex-state"),
            wiring.registeredTopics(),
            contracts,
            pinned,
            applicationId,
            new SimpleMeterRegistry());
    UntilStopped stopped = new UntilStopped(service);
    service.start();
    return run(wiring, service, pinned, applicationId, stopped, out);
  }

  private int run(
      Wiring wiring,
      IndexerService service,
      EmbeddingContract pinned,
      String applicationId,
      UntilStopped stopped,
      PrintStream out)
      throws InterruptedException {
    boolean terminal = PublishProgressLine.onTerminal();
    Duration period = terminal ? Duration.ofSeconds(2) : Duration.ofSeconds(15);
    try (ReindexProgressLine progress = new ReindexProgressLine(wiring)) {
      follow(wiring, service, pinned, applicationId, progress, stopped, out, terminal, period);
    }
    service.close();
    return AgentBrain.OK;
  }

  private void follow(
      Wiring wiring,
      IndexerService service,
      EmbeddingContract pinned,
      String applicationId,
      ReindexProgressLine progress,
      UntilStopped stopped,
      PrintStream out,
      boolean terminal,
      Duration period)
      throws InterruptedException {
    boolean announced = false;
    boolean indexBuilt = false;
    Instant liveSince = null;
    while (!stopped.await(period)) {
      ReindexProgress.Snapshot now =
          progress.sample(pinned.getIndex(), pinned.getVersion(), applicationId);
      String status = ReindexProgressLine.format(now, service.metrics());
      out.print((terminal ? "\r" : "") + status + (terminal ? "   " : "\n"));
      out.flush();
      boolean isLive =
          Switchover.liveVersion(wiring, pinned.getIndex()).orElse(0) == pinned.getVersion();
      if (isLive && !forceReindex) {
        if (liveSince == null) {
          liveSince = Instant.now();
          out.println();
          out.println(
              "v"
                  + pinned.getVersion()
                  + " is live; following the log for another "
                  + HANDOVER.toSeconds()
                  + " s while the indexers switch");
        } else if (Duration.between(liveSince, Instant.now()).compareTo(HANDOVER) >= 0) {
          break;
        }
        continue;
      }
      if (!now.caughtUp() || announced) {
        continue;
      }
      if (forceReindex) {
        out.println();
        out.println("rebuilt " + now.physical() + " in place from the log");
        return;
      }
      if (!indexBuilt) {
        // the bulk of the rows is there: build the HNSW index once, not row by row
        Switchover.buildVectorIndex(wiring, pinned)
            .ifPresent(
                took ->
                    out.printf(
                        "%nbuilt the PostgreSQL vector index of %s in %.1f s%n",
                        now.physical(), took.toMillis() / 1000.0));
        indexBuilt = true;
      }
      if (promote) {
        out.println();
        PromotionCheck.Result result =
            Switchover.promote(wiring, pinned.getIndex(), pinned.getVersion());
        result.lines().forEach(line -> out.println("  " + line));
        if (result.passed()) {
          out.println(
              "promoted "
                  + pinned.getIndex()
                  + " v"
                  + pinned.getVersion()
                  + "; roll back with `agent-brain index rollback "
                  + pinned.getIndex()
                  + "`");
        } else {
          result.problems().forEach(p -> out.println("  not yet: " + p));
        }
      } else {
        announced = true;
        out.println();
        out.println(
            "caught up; switch over with `agent-brain index promote "
                + pinned.getIndex()
                + " --version "
                + pinned.getVersion()
                + "` (this reindex keeps following the log until then)");
      }
    }
  }

  /**
   * The version to build: {@code --version} when given; otherwise an unfinished reindex with the
   * same settings (the newest version, never live), which resumes; otherwise a new version.
   */
  private EmbeddingContract target(ContractRegistry contracts, EmbeddingContract live) {
    if (version != null) {
      return contracts
          .version(index, version)
          .orElseThrow(
              () -> new IllegalArgumentException("index " + index + " has no version " + version));
    }
    EmbeddingContract draft =
        IndexContracts.draft(
            index,
            model != null ? model : live.getModel(),
            language != null ? language : live.getTextSearchLanguage(),
            chunkSize != null ? chunkSize : (model == null ? live.getChunkMaxTokens() : null),
            overlap != null ? overlap : (model == null ? live.getChunkOverlapTokens() : null),
            chunkContext != null ? chunkContext : (model == null ? live.getChunkContext() : null));
    if (dimensions != null && dimensions != draft.getDimensions()) {
      throw new IllegalArgumentException(
          "model "
              + draft.getModel()
              + " makes "
              + draft.getDimensions()
              + "-dimensional vectors, not "
              + dimensions);
    }
    List<EmbeddingContract> all = contracts.versions(index);
    EmbeddingContract newest = all.get(all.size() - 1);
    boolean everLive =
        contracts.history(index).stream().anyMatch(s -> s.version() == newest.getVersion());
    if (!everLive && sameSettings(newest, draft)) {
      System.out.println("resuming the unfinished reindex into v" + newest.getVersion());
      return newest;
    }
    if (sameSettings(live, draft)) {
      throw new IllegalArgumentException(
          "the live version "
              + live.getVersion()
              + " already has these settings — change --model, --chunk-size, --chunk-overlap,"
              + " --chunk-context or --language, or rebuild it with --force-reindex");
    }
    return contracts.register(draft);
  }

  private static boolean sameSettings(EmbeddingContract a, EmbeddingContract b) {
    return a.getModel().equals(b.getModel())
        && a.getDimensions() == b.getDimensions()
        && a.getChunkMaxTokens() == b.getChunkMaxTokens()
        && a.getChunkOverlapTokens() == b.getChunkOverlapTokens()
        && a.getChunkContext() == b.getChunkContext()
        && a.getTextSearchLanguage().equals(b.getTextSearchLanguage());
  }

  private boolean confirmed(EmbeddingContract live) {
    if (yes) {
      return true;
    }
    System.out.printf(
        "This drops every stored chunk of %s (the LIVE version of %s) and rebuilds it from the log;"
            + " queries find fewer results until it has caught up. Type the index name to go on: ",
        ContractRegistry.physicalName(index, live.getVersion()), index);
    System.out.flush();
    Scanner in = new Scanner(System.in);
    return in.hasNextLine() && in.nextLine().strip().equals(index);
  }
}
