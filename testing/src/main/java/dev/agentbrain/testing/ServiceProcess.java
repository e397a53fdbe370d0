package dev.agentbrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.awaitility.Awaitility;

/**
 * A service process that a test starts and stops itself (a private broker, database or Chroma):
 * spawned with its output in a log file, awaited until ready, stopped with a signal of choice.
 */
final class ServiceProcess {

  private final String name;
  private final Process process;
  private final Path log;

  private ServiceProcess(String name, Process process, Path log) {
    this.name = name;
    this.process = process;
    this.log = log;
  }

  /** Starts {@code command} with its output appended to {@code log}. */
  static ServiceProcess spawn(String name, List<String> command, Path log) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
      return new ServiceProcess(name, builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException("could not start " + name + ": " + command, e);
    }
  }

  /** Waits until {@code ready} holds; fails at once, with the log's end, if the process dies. */
  ServiceProcess awaitReady(BooleanSupplier ready, Duration atMost) {
    Awaitility.await(name + " ready")
        .atMost(atMost)
        .pollInterval(Duration.ofMillis(200))
        .failFast(
            () -> {
              if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited; its log ends:\n" + tail(log));
              }
            })
        .until(ready::getAsBoolean);
    return this;
  }

  /** Sends {@code signal} (e.g. {@code TERM}, {@code INT}), then SIGKILL after {@code grace}. */
  void stop(String signal, Duration grace) {
    if (!process.isAlive()) {
      return;
    }
    run(List.of("kill", "-" + signal, String.valueOf(process.pid())));
    try {
      if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Runs a short command to its end; throws with its output when it fails. */
  static void run(List<String> command) {
    run(command, Map.of());
  }

  /** As {@link #run(List)}, with {@code env} added to this process's environment. */
  static void run(List<String> command, Map<String, String> env) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().putAll(env);
      Process p = builder.start();
      String output = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(command + " failed: " + output);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted: " + command, e);
    }
  }

  /**
   * True when process {@code pid} no longer runs: gone, or a zombie nobody reaped (a service the
   * infra scripts started is no child of this JVM).
   */
  static boolean exited(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      // the state follows the command name, which is in parentheses and may hold spaces
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  /** True when something accepts connections on loopback {@code port}. */
  static boolean open(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** A loopback port free right now. */
  static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The folder {@code make up} installs the services into: {@code AGENT_BRAIN_HOME}, or {@code
   * .agent-brain} in the repository (found upwards from the working directory).
   */
  static Path agentBrainHome() {
    String home = System.getenv("AGENT_BRAIN_HOME");
    if (home != null && Path.of(home).isAbsolute()) {
      return Path.of(home);
    }
    Path repository = repository();
    return repository.resolve(home == null ? ".agent-brain" : home);
  }

  /** The repository's root: the nearest folder upwards holding {@code infra/lib.sh}. */
  static Path repository() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("infra/lib.sh"))) {
        return dir;
      }
    }
    throw new IllegalStateException("not inside the repository: no infra/lib.sh upwards");
  }

  static String tail(Path log) {
    try {
      List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }

  static boolean contains(Path log, String text) {
    try {
      return Files.exists(log) && Files.readString(log).contains(text);
    } catch (IOException e) {
      return false;
    }
  }
}
