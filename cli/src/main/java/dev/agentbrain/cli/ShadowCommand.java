package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.cli.lifecycle.SinkSettling;
import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.query.shadow.ReconciliationLog;
import dev.agentbrain.roles.BackendRoles;
import dev.agentbrain.roles.Roles;
import dev.agentbrain.storage.reconciliation.IndexSide;
import dev.agentbrain.storage.reconciliation.Reconciliation;
import dev.agentbrain.storage.reconciliation.ReconciliationResult;
import dev.agentbrain.topics.SinkLag;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Scanner;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "shadow",
    mixinStandardHelpOptions = true,
    description = {
      "Shadow mode: the shadow backend receives every write and a sample of the queries, and",
      "is compared with the primary. See README, 'Shadow mode'."
    },
    subcommands = {
      ShadowCommand.Report.class,
      ShadowCommand.Reconcile.class,
      ShadowCommand.Promote.class,
      ShadowCommand.RolesCommand.class
    })
final class ShadowCommand implements Runnable {

  private static final ObjectMapper JSON = new ObjectMapper();

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  @Command(
      name = "report",
      mixinStandardHelpOptions = true,
      description = {
        "How primary and shadow agree: sampled queries (overlap, RBO, score differences,",
        "latency, errors, worst queries side by side) from the query API, write lag of both",
        "sinks, the latest reconciliation."
      })
  static final class Report implements Callable<Integer> {
    @Option(names = "--json", description = "print the report as JSON")
    boolean json;

    @Mixin QueryApiAddress api;

    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      JsonNode report = report(wiring, api.base(wiring.settings));
      if (json) {
        System.out.println(report.toPrettyString());
      } else {
        ShadowReportText.print(report, System.out);
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "reconcile",
      mixinStandardHelpOptions = true,
      description = {
        "Compare an index in two backends document by document: present in both, same chunk ids,",
        "same text and content hash, vectors within the tolerance. Differences are re-checked",
        "after both sinks caught up, so lag is not reported. Exit 0: identical; 1: differences.",
        "With --repair BACKEND, the documents that differ are then written again into that backend",
        "alone, from the documents and embeddings topics, and the index is reconciled again."
      })
  static final class Reconcile implements Callable<Integer> {
    @Mixin IndexOption index;

    @Option(names = "--left", description = "backend (default: the primary)")
    Backend left;

    @Option(names = "--right", description = "backend (default: the shadow)")
    Backend right;

    @Option(
        names = "--page-size",
        defaultValue = "200",
        description = "documents read per page (default: ${DEFAULT-VALUE})")
    int pageSize;

    @Option(
        names = "--tolerance",
        defaultValue = "1e-4",
        description =
            "largest difference allowed per vector component (default: ${DEFAULT-VALUE}; 1e-3 for"
                + " indexes of more than 2,000 dimensions, which PostgreSQL keeps in half precision)")
    double tolerance;

    @Option(
        names = "--wait",
        defaultValue = "120",
        description =
            "seconds to wait for both sinks to catch up before re-checking (default: ${DEFAULT-VALUE})")
    int waitSeconds;

    @Option(names = "--json", description = "print the result as JSON")
    boolean json;

    @Option(
        names = "--repair",
        paramLabel = "BACKEND",
        description =
            "write the differing documents again into this backend (one of the two compared) from"
                + " the log, then reconcile again")
    Backend repair;

    Supplier<Wiring> wiring = Wiring::fromEnvironment;
    PrintStream out = System.out;

    @Override
    public Integer call() throws InterruptedException {
      Wiring wiring = this.wiring.get();
      Roles roles = wiring.roles().current();
      Backend a = left != null ? left : roles.primary();
      Backend b =
          right != null
              ? right
              : roles
                  .shadow()
                  .orElseThrow(
                      () ->
                          new IllegalArgumentException(
                              "there is no shadow backend: set AGENT_BRAIN_SHADOW_BACKEND, or name"
                                  + " both sides with --left and --right"));
      if (a == b) {
        throw new IllegalArgumentException("--left and --right must be different backends");
      }
      if (repair != null && repair != a && repair != b) {
        throw new IllegalArgumentException(
            "--repair must name one of the backends compared: " + a.id() + " or " + b.id());
      }
      ContractRegistry contracts = wiring.contracts();
      EmbeddingContract contract =
          contracts
              .live(ContractRegistry.checkIndexName(index.name))
              .orElseThrow(
                  () -> new IllegalArgumentException("index '" + index.name + "' does not exist"));
      String physical = ContractRegistry.physicalName(contract.getIndex(), contract.getVersion());
      try (Wiring.BackendStore leftStore = wiring.store(a);
          Wiring.BackendStore rightStore = wiring.store(b);
          SinkLag lag = new SinkLag(wiring.bootstrap(), wiring.topics())) {
        Reconciliation.Options options =
            new Reconciliation.Options(
                pageSize, tolerance, repair == null ? 50 : Integer.MAX_VALUE, 100_000);
        SinkSettling settling =
            new SinkSettling(lag, List.of(a, b), Duration.ofSeconds(waitSeconds));
        ReconciliationResult result = reconcile(leftStore, rightStore, physical, options, settling);
        print(wiring.reconciliations().record(index.name, result));
        if (repair == null || result.identical()) {
          return result.identical() ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
        }
        Set<String> differing = new TreeSet<>();
        result.differences().forEach(d -> differing.add(d.documentId()));
        BackendRepair.Result repaired =
            new BackendRepair(wiring)
                .repair(contract, differing, (repair == a ? leftStore : rightStore).writer());
        out.printf(
            Locale.ROOT,
            "repaired %s from the log: %d documents written again%s, %d removed%s (%d texts"
                + " embedded again, the rest from the embeddings topic)%n",
            repair.id(),
            repaired.rewritten().size(),
            repaired.rewritten().isEmpty() ? "" : " " + repaired.rewritten(),
            repaired.removed().size(),
            repaired.removed().isEmpty() ? "" : " " + repaired.removed(),
            repaired.reEmbedded());
        ReconciliationResult after = reconcile(leftStore, rightStore, physical, options, settling);
        print(wiring.reconciliations().record(index.name, after));
        return after.identical() ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
      }
    }

    private static ReconciliationResult reconcile(
        Wiring.BackendStore left,
        Wiring.BackendStore right,
        String physical,
        Reconciliation.Options options,
        SinkSettling settling)
        throws InterruptedException {
      return new Reconciliation(
              IndexSide.of(left.backend().id(), left.scan(), physical),
              IndexSide.of(right.backend().id(), right.scan(), physical),
              options)
          .run(settling);
    }

    private void print(JsonNode recorded) {
      if (json) {
        out.println(recorded.toPrettyString());
      } else {
        ShadowReportText.reconciliation(recorded, out);
      }
    }
  }

  @Command(
      name = "promote",
      mixinStandardHelpOptions = true,
      description = {
        "Swap primary and shadow: shows the report, asks, then records the new roles. Nothing",
        "restarts: both sinks keep writing, and every query API answers from the new primary",
        "within a few seconds."
      })
  static final class Promote implements Callable<Integer> {
    @Option(names = "--yes", description = "do not ask")
    boolean yes;

    @Option(
        names = "--reason",
        defaultValue = "promoted with agent-brain shadow promote",
        description = "recorded with the change")
    String reason;

    @Mixin QueryApiAddress api;

    @Override
    public Integer call() {
      Wiring wiring = Wiring.fromEnvironment();
      BackendRoles roles = wiring.roles();
      Roles current = roles.current();
      if (current.shadow().isEmpty()) {
        System.err.println(
            "agent-brain: there is no shadow to promote (AGENT_BRAIN_SHADOW_BACKEND is none)");
        return AgentBrain.USAGE;
      }
      PrintStream out = System.out;
      JsonNode report = report(wiring, api.base(wiring.settings));
      ShadowReportText.print(report, out);
      Backend shadow = current.shadow().get();
      long shadowLag = report.path("write_lag").path(shadow.id()).asLong(0);
      if (shadowLag > 0) {
        out.println(
            "note: the shadow's sink is "
                + shadowLag
                + " offsets behind; until it catches up, queries may miss the newest writes");
      }
      if (!yes) {
        out.print(
            "Make "
                + shadow.id()
                + " the primary and "
                + current.primary().id()
                + " the shadow? [y/N] ");
        out.flush();
        Scanner in = new Scanner(System.in);
        if (!(in.hasNextLine() && in.nextLine().strip().toLowerCase(Locale.ROOT).startsWith("y"))) {
          out.println("nothing changed");
          return AgentBrain.OK;
        }
      }
      Roles after = roles.promote(reason);
      out.println(
          "promoted: "
              + after
              + ". Query APIs answer from "
              + after.primary().id()
              + " within a few seconds; both sinks keep writing.");
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "roles",
      mixinStandardHelpOptions = true,
      description = "The current primary and shadow, and every change of them.")
  static final class RolesCommand implements Callable<Integer> {
    @Override
    public Integer call() {
      BackendRoles roles = Wiring.fromEnvironment().roles();
      System.out.println(roles.current());
      List<BackendRoles.Change> history = roles.history();
      if (history.isEmpty()) {
        System.out.println("(as configured: no promotion recorded)");
      }
      for (BackendRoles.Change change : history) {
        System.out.println(
            "  " + change.at() + "  " + change.roles() + "  (" + change.reason() + ")");
      }
      return AgentBrain.OK;
    }
  }

  /**
   * The report from the query API ({@code GET /admin/shadow}); when the API cannot be reached, what
   * this process can find out itself (roles, write lag, latest reconciliation), saying why the
   * query comparison is missing.
   */
  static JsonNode report(Wiring wiring, String apiBase) {
    Settings settings = wiring.settings;
    URI url = URI.create(apiBase + "/admin/shadow");
    Optional<String> problem;
    try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build()) {
      HttpRequest.Builder request = HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10));
      String token = settings.get(Settings.API_ADMIN_TOKEN);
      if (!token.isBlank()) {
        request.header("Authorization", "Bearer " + token);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() == 200) {
        return JSON.readTree(response.body());
      }
      problem =
          Optional.of(
              "the query API at "
                  + url
                  + " answered "
                  + response.statusCode()
                  + (response.statusCode() == 403 || response.statusCode() == 401
                      ? " (set AGENT_BRAIN_API_ADMIN_TOKEN)"
                      : ""));
    } catch (IOException e) {
      problem =
          Optional.of(
              "the query API is not reachable at " + url + " (start it with `agent-brain serve`)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      problem = Optional.of("interrupted");
    }
    ObjectNode local = JSON.createObjectNode();
    Roles roles = wiring.roles().current();
    local
        .putObject("roles")
        .put("primary", roles.primary().id())
        .put("shadow", roles.shadow().map(Backend::id).orElse("none"));
    local.put("queries_unavailable", problem.orElse(""));
    ObjectNode lag = local.putObject("write_lag");
    try (SinkLag sinks = new SinkLag(wiring.bootstrap(), wiring.topics())) {
      for (Backend backend : Backend.values()) {
        lag.put(backend.id(), sinks.lag(backend));
      }
    } catch (RuntimeException e) {
      lag.put("problem", "Kafka did not answer for the sinks' offsets");
    }
    ReconciliationLog log = wiring.reconciliations();
    local.set("reconciliation", log.latest().orElse(null));
    return local;
  }
}
