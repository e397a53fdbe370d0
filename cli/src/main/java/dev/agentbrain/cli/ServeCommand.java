package dev.agentbrain.cli;

import dev.agentbrain.config.Backend;
import dev.agentbrain.config.Settings;
import dev.agentbrain.query.QueryServer;
import dev.agentbrain.storage.Retriever;
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
      "Binds to AGENT_BRAIN_API_HOST:AGENT_BRAIN_API_PORT; answers from AGENT_BRAIN_STORAGE_BACKEND."
    })
final class ServeCommand implements Callable<Integer> {

  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  @Override
  public Integer call() throws InterruptedException {
    Wiring wiring = Wiring.fromEnvironment();
    Map<Backend, Retriever> retrievers = new EnumMap<>(Backend.class);
    retrievers.put(Backend.POSTGRES, wiring.postgres(8));
    retrievers.put(Backend.CHROMA, wiring.chroma());
    String host = wiring.settings.get(Settings.API_HOST);
    QueryServer server =
        QueryServer.start(
            host,
            wiring.settings.get(Settings.API_PORT),
            wiring.contracts(),
            retrievers,
            wiring.primaryBackend(),
            Runtime.getRuntime().availableProcessors());
    LOG.info(
        "query API listening on http://{}:{} (primary backend: {})",
        host,
        server.port(),
        wiring.primaryBackend().id());
    new UntilStopped(server).await();
    return AgentBrain.OK;
  }
}
