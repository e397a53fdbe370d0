package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.mcp.AgentBrainMcp;
import dev.agentbrain.mcp.McpFeatures;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.QueryServices;
import dev.agentbrain.query.reindex.ReindexStatus;
import dev.agentbrain.roles.LiveRoles;
import dev.agentbrain.storage.Retriever;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.admin.Admin;
import picocli.CommandLine.Command;

@Command(
    name = "mcp",
    mixinStandardHelpOptions = true,
    description = {
      "Serve one MCP client over stdio (what an agent starts as its MCP server) until its input ends.",
      "Searches the backends directly, as `agent-brain serve` does, with the same settings, and",
      "runs indexing jobs (folders under AGENT_BRAIN_INDEX_ROOTS only) as serve does;",
      "MCP over HTTP is served by `agent-brain serve` at /mcp. Logs go to stderr.",
      "Chroma's keyword search is fed only by `serve`: search bm25, hybrid or rrf on PostgreSQL."
    })
final class McpCommand implements Callable<Integer> {

  @Override
  public Integer call() throws Exception {
    // stdout carries the protocol: nothing else may write to it
    PrintStream protocol = System.out;
    System.setOut(System.err);
    Wiring wiring = Wiring.fromEnvironment();
    // without the keyword-index feed of `serve`: it locks the indexes for one process per home
    Map<Backend, Retriever> retrievers = ServeCommand.retrievers(wiring);
    LiveRoles roles = new LiveRoles(wiring.roles(), Duration.ofSeconds(2), Clock.systemUTC());
    try (Admin admin = wiring.admin();
        ServeJobs jobs = ServeJobs.start(wiring, () -> roles.get().primary());
        QueryServices services =
            ServeCommand.configure(QueryServer.builder(wiring.contracts(), retrievers), wiring)
                .rolesFrom(roles)
                .status(ReindexStatus.of(wiring.contracts(), admin, wiring.topics(), retrievers))
                .services()) {
      new AgentBrainMcp(services, McpFeatures.NONE.withJobs(jobs.jobs()))
          .serve(System.in, protocol);
    }
    return AgentBrain.OK;
  }
}
