package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.query.shadow.RoleGauges;
import dev.agentbrain.retry.Retry;
import dev.agentbrain.retry.RetryPolicy;
import dev.agentbrain.roles.LiveRoles;
import dev.agentbrain.roles.Roles;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;

@Command(
    name = "indexer",
    mixinStandardHelpOptions = true,
    description = {
      "Run the indexer until stopped: the Streams topology (chunk, batch-embed, contract check)",
      "and one sink worker per backend in AGENT_BRAIN_SINKS. Run several to share the partitions."
    })
final class IndexerCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(IndexerCommand.class);

  @Override
  public Integer call() throws InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    List<IndexerService.Sink> sinks = new ArrayList<>();
    for (Backend backend : wiring.sinkBackends()) {
      sinks.add(
          switch (backend) {
            case POSTGRES -> new IndexerService.Sink(Stage.SINK_POSTGRES, wiring.postgres(4));
            case CHROMA -> new IndexerService.Sink(Stage.SINK_CHROMA, wiring.chroma());
          });
    }
    PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    new JvmMemoryMetrics().bindTo(meters);
    RoleGauges.register(
        meters, new LiveRoles(wiring.roles(), Duration.ofSeconds(5), Clock.systemUTC()));
    IndexerService service =
        untilReachable(
            () ->
                IndexerService.create(
                    wiring.indexerOptions("indexer-state"),
                    wiring.registeredTopics(),
                    wiring.contracts(),
                    sinks,
                    meters));
    UntilStopped stopped = new UntilStopped(service);
    service.start();
    warnAboutUnwrittenRoles(wiring);
    int metricsPort = wiring.settings.get(Settings.INDEXER_METRICS_PORT);
    if (metricsPort > 0) {
      MetricsEndpoint metrics =
          MetricsEndpoint.start(
              wiring.settings.get(Settings.API_HOST),
              metricsPort,
              meters,
              () -> IndexerHealth.of(service, Instant.now()),
              ServeCommand.auth(wiring.settings));
      LOG.info(
          "indexer metrics at http://{}:{}/metrics, health at /health",
          wiring.settings.get(Settings.API_HOST),
          metrics.port());
    }
    double lastChunks = 0;
    while (!stopped.await(Duration.ofSeconds(15))) {
      double chunks = service.metrics().chunksEmitted();
      if (chunks != lastChunks) {
        LOG.info(
            "{} chunks embedded ({} from cache, {}/s over the last 15 s); sink lag {}",
            (long) chunks,
            (long) service.metrics().cacheHits(),
            String.format("%.1f", (chunks - lastChunks) / 15.0),
            service.sinkLag());
        lastChunks = chunks;
      }
    }
    return AgentBrain.OK;
  }

  /**
   * A primary or shadow that no sink writes would answer (or be compared) with stale data: say so.
   * Roles come from the registry (they may have been swapped since the settings were written).
   */
  private static void warnAboutUnwrittenRoles(Wiring wiring) {
    Roles roles;
    try {
      roles = wiring.roles().current();
    } catch (RuntimeException e) {
      roles = wiring.configuredRoles();
    }
    List<Backend> written = wiring.sinkBackends();
    List<Backend> withRoles = new ArrayList<>(List.of(roles.primary()));
    roles.shadow().ifPresent(withRoles::add);
    for (Backend backend : withRoles) {
      if (!written.contains(backend)) {
        LOG.warn(
            "{} is the {} backend ({}) but not in AGENT_BRAIN_SINKS ({}): this indexer does not write"
                + " it",
            backend.id(),
            backend == roles.primary() ? "primary" : "shadow",
            roles,
            written.stream().map(Backend::id).toList());
      }
    }
  }

  /**
   * Starts the indexer once Kafka and the registry answer: started before them (a host that boots
   * first, a supervisor restarting everything), it waits, says so in the log, and starts by itself
   * instead of exiting into a crash loop.
   */
  static IndexerService untilReachable(Supplier<IndexerService> start) throws InterruptedException {
    return Retry.with(RetryPolicy.unbounded(Duration.ofSeconds(1), Duration.ofSeconds(15)))
        .everyKind()
        .onRetry(
            (failure, retry, pause) -> {
              if (retry == 1 || retry % 10 == 0) {
                LOG.warn(
                    "the indexer waits for Kafka and the registry ({}); it starts by itself once"
                        + " they answer",
                    failure.message());
              }
            })
        .call(start);
  }
}
