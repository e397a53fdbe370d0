package dev.agentbrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;

/**
 * A Kafka broker of a test's own (KRaft, one node), started and stopped by {@code infra/kafka.sh}
 * with a state directory of its own: the script's configuration, the jars {@code make up}
 * installed, free ports. A restart after {@link #stop} or {@link #kill} runs the same script on the
 * same data, so it comes back with the same node id, cluster id, log directory and ports.
 */
public final class PrivateKafka implements AutoCloseable {

  private final Path home;
  private final int port;
  private final int controllerPort;

  private PrivateKafka(Path home, int port, int controllerPort) {
    this.home = home;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /** Starts a broker keeping its data, pid and log under {@code dir}; returns once it serves. */
  public static PrivateKafka start(Path dir) {
    try {
      Files.createDirectories(dir.resolve("kafka"));
      // the installed jars, shared: the script installs nothing when their fingerprint matches
      Files.createSymbolicLink(
          dir.resolve("kafka/lib"), ServiceProcess.agentBrainHome().resolve("kafka/lib"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PrivateKafka kafka =
        new PrivateKafka(dir, ServiceProcess.freePort(), ServiceProcess.freePort());
    kafka.start();
    return kafka;
  }

  /** Its bootstrap address. */
  public String bootstrap() {
    return "127.0.0.1:" + port;
  }

  /** Starts it again on the same ports and data, after {@link #stop} or {@link #kill}. */
  public void start() {
    script("start");
  }

  /** Stops it cleanly (SIGTERM; the script waits up to 60 s, then kills it). */
  public void stop() {
    script("stop");
  }

  /**
   * Kills it with SIGKILL, as a crash would, and waits until it is gone and its port is free; does
   * nothing when it is not running.
   */
  public void kill() {
    Path pidFile = home.resolve("run/kafka.pid");
    if (!Files.exists(pidFile)) {
      return; // the script removes it when it stops the broker
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(pidFile).strip().split(" ")[0]);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (!ServiceProcess.exited(pid)) {
      ServiceProcess.run(List.of("kill", "-KILL", "--", "-" + pid)); // its process group
    }
    Awaitility.await("private broker " + pid + " gone and port " + port + " free")
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> ServiceProcess.exited(pid) && !ServiceProcess.open(port));
  }

  /** The broker's log of its current (or last) run. */
  public Path log() {
    return home.resolve("logs/kafka.log");
  }

  private void script(String command) {
    ServiceProcess.run(
        List.of(ServiceProcess.repository().resolve("infra/kafka.sh").toString(), command),
        Map.of(
            "AGENT_BRAIN_HOME", home.toString(),
            "AGENT_BRAIN_KAFKA_PORT", String.valueOf(port),
            "AGENT_BRAIN_KAFKA_CONTROLLER_PORT", String.valueOf(controllerPort)));
  }

  @Override
  public void close() {
    kill(); // its data goes with the test's folder; a clean shutdown would only cost time
  }
}
