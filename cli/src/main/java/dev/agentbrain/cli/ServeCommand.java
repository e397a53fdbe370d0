package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.mcp.AgentBrainMcp;
import dev.agentbrain.mcp.McpFeatures;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.ApiAuth;
import dev.agentbrain.query.DeadLetterCount;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.query.reindex.ReindexStatus;
import dev.agentbrain.query.shadow.ShadowMode;
import dev.agentbrain.roles.LiveRoles;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.topics.SinkLag;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Run the query API (HTTP) until stopped.",
      "Binds to AGENT_BRAIN_API_HOST:AGENT_BRAIN_API_PORT; answers from the primary backend",
      "(AGENT_BRAIN_STORAGE_BACKEND until `agent-brain shadow promote` swaps it with",
      "AGENT_BRAIN_SHADOW_BACKEND) and mirrors AGENT_BRAIN_SHADOW_SAMPLE of the queries to the shadow.",
      "Serves MCP over Streamable HTTP at /mcp (same tokens). Needs AGENT_BRAIN_API_TOKEN when the",
      "host is not a loopback address. Runs the indexing jobs asked for under /index (folders under",
      "AGENT_BRAIN_INDEX_ROOTS only)."
    })
public final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() throws InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    Settings settings = wiring.settings;
    ApiAuth auth = auth(settings);
    String host = settings.get(Settings.API_HOST);
    // before any connection is opened: a public address without a token is refused outright
    auth.requireSafeBinding(host);
    Serving serving = start(wiring);
    LOG.info(
        "query API listening on http://{}:{} (MCP at {}; {}, auth: {})",
        host,
        serving.server().port(),
        AgentBrainMcp.PATH,
        serving.roles().get(),
        auth.enabled() ? "bearer token" : "off, loopback only");
    new UntilStopped(serving::close).await();
    return AgentBrain.OK;
  }

  /** The query API as {@code serve} runs it, with what must be closed with it. */
  record Serving(
      QueryServer server,
      LiveRoles roles,
      ShadowMode shadow,
      ChromaKeywordSearch chroma,
      ServeJobs jobs,
      DeadLetterCount deadLetters)
      implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      try (chroma;
          jobs;
          deadLetters) {
        shadow.close();
        server.close();
      }
    }
  }

  /**
   * Starts the query API exactly as {@code serve} does, on {@code wiring}'s settings: both
   * backends, Chroma's keyword indexes fed by this process, shadow mode, indexing jobs and reindex
   * status.
   */
  static Serving start(Wiring wiring) {
    Settings settings = wiring.settings;
    Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, wiring.postgresReader());
    // Chroma's keyword search: local Lucene indexes fed from the chunks topic by this process
    ChromaKeywordSearch chroma = new ChromaKeywordSearch(wiring).start();
    retrievers.put(Backend.CHROMA, chroma.retriever());
    LiveRoles roles = new LiveRoles(wiring.roles(), Duration.ofSeconds(2), Clock.systemUTC());
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    ShadowMode shadow =
        new ShadowMode(
            roles,
            settings.get(Settings.SHADOW_SAMPLE),
            settings.get(Settings.SHADOW_QUEUE),
            new SinkLag(wiring.bootstrap(), wiring.topics()),
            wiring.reconciliations(),
            meters);
    ServeJobs jobs = ServeJobs.start(wiring, () -> roles.get().primary());
    DeadLetterCount deadLetters =
        new DeadLetterCount(
            wiring.bootstrap(), wiring.topics().deadLetters().name(), Duration.ofSeconds(3));
    QueryServer server =
        withMcp(
                configure(QueryServer.builder(wiring.contracts(), retrievers), wiring),
                McpFeatures.NONE.withShadowReport(shadow::report).withJobs(jobs.jobs()))
            .rolesFrom(roles)
            .meters(meters)
            .routes(shadow.routes())
            .routes(jobs.routes())
            .status(shadow.status())
            .status(jobs.status())
            .status(deadLetters)
            .status(
                ReindexStatus.of(wiring.contracts(), wiring.admin(), wiring.topics(), retrievers))
            .start();
    server.search().observe(shadow.observer(server.search()));
    return new Serving(server, roles, shadow, chroma, jobs, deadLetters);
  }

  /**
   * A retriever per backend, PostgreSQL's with the query API's pool settings, Chroma's without the
   * keyword-index feed that {@code serve} runs: for in-process benchmarks and tests that search
   * PostgreSQL (the feed locks the keyword indexes of the home directory for one process).
   */
  public static Map<Backend, Retriever> retrievers(Wiring wiring) {
    Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, wiring.postgresReader());
    retrievers.put(Backend.CHROMA, wiring.chroma());
    return retrievers;
  }

  /** The builder with every setting of {@code agent-brain serve}. */
  public static QueryServer.Builder configure(QueryServer.Builder builder, Wiring wiring) {
    Settings settings = wiring.settings;
    return builder
        .primary(wiring.primaryBackend())
        .listen(settings.get(Settings.API_HOST), settings.get(Settings.API_PORT))
        .embeddingThreads(settings.get(Settings.EMBEDDING_THREADS))
        .queryCacheSize(settings.get(Settings.API_QUERY_CACHE_SIZE))
        .auth(auth(settings))
        .admission(
            settings.get(Settings.API_MAX_IN_FLIGHT),
            Duration.ofMillis(settings.get(Settings.API_ADMISSION_WAIT_MS)));
  }

  /** The builder serving MCP over Streamable HTTP at {@link AgentBrainMcp#PATH}, same tokens. */
  static QueryServer.Builder withMcp(QueryServer.Builder builder, McpFeatures features) {
    return builder.servlet(
        AgentBrainMcp.PATH,
        Access.READ,
        services -> new AgentBrainMcp(services, features).servlet(services.auth()));
  }

  /** The query API's tokens from the settings; too short ones are refused. */
  static ApiAuth auth(Settings settings) {
    return ApiAuth.of(settings.get(Settings.API_TOKEN), settings.get(Settings.API_ADMIN_TOKEN))
        .requireLongTokens();
  }
}
