package dev.agentbrain.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A PostgreSQL cluster of a test's own ({@code initdb} and {@code pg_ctl} of the installed server,
 * pgvector included), on a free port with its data in a folder of its own, so that a test can stop
 * and restart it without touching the shared one. It holds one database, {@value #DATABASE}, that
 * user {@code postgres} reaches without a password over TCP.
 */
public final class PrivatePostgres implements AutoCloseable {

  /** The database it holds. */
  public static final String DATABASE = "agentbrain";

  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
  // PostgreSQL refuses to run as root: then every command runs as the system's postgres user
  private static final boolean ROOT = "root".equals(System.getProperty("user.name"));

  private final Path data;
  private final int port;

  private PrivatePostgres(Path data, int port) {
    this.data = data;
    this.port = port;
  }

  /**
   * Creates a cluster in a new folder (under the system's temporary folder, which the postgres user
   * can reach), starts it and creates the database; returns once it accepts connections.
   */
  public static PrivatePostgres startNew() {
    Path data;
    try {
      data = Files.createTempDirectory("agentbrain-pg-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (ROOT) {
      ServiceProcess.run(List.of("chown", "postgres:postgres", data.toString()));
    }
    PrivatePostgres postgres = new PrivatePostgres(data, ServiceProcess.freePort());
    postgres.command(
        "initdb",
        "-D",
        data.toString(),
        "-U",
        "postgres",
        "--auth=trust",
        "--no-sync",
        "-E",
        "UTF8");
    postgres.start();
    postgres.command(
        "createdb",
        "-h",
        "127.0.0.1",
        "-p",
        String.valueOf(postgres.port),
        "-U",
        "postgres",
        DATABASE);
    // no CREATE EXTENSION: the store creates pgvector's extension itself, as on a user's new
    // database
    return postgres;
  }

  /** Its JDBC URL. */
  public String jdbcUrl() {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + DATABASE;
  }

  /** Starts it (again, on the same port and data); returns once it accepts connections. */
  public void start() {
    command(
        "pg_ctl",
        "start",
        "-w",
        "-D",
        data.toString(),
        "-l",
        data.resolve("server.log").toString(),
        "-o",
        "-p " + port + " -c listen_addresses=127.0.0.1 -k " + data + " -c max_connections=40");
  }

  /**
   * Stops it as a crash would: {@code pg_ctl stop -m immediate} ends every server process at once,
   * without a checkpoint, so the next start recovers from the write-ahead log.
   */
  public void crash() {
    command("pg_ctl", "stop", "-w", "-D", data.toString(), "-m", "immediate");
  }

  /** Stops it cleanly: {@code pg_ctl stop -m fast} (open transactions roll back). */
  public void stop() {
    command("pg_ctl", "stop", "-w", "-D", data.toString(), "-m", "fast");
  }

  /** The server's log. */
  public Path log() {
    return data.resolve("server.log");
  }

  private void command(String program, String... arguments) {
    List<String> command = new ArrayList<>();
    if (ROOT) {
      command.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    command.add(BIN.resolve(program).toString());
    command.addAll(List.of(arguments));
    ServiceProcess.run(command);
  }

  @Override
  public void close() {
    if (Files.exists(data.resolve("postmaster.pid"))) {
      crash();
    }
    ServiceProcess.run(List.of("rm", "-rf", data.toString()));
  }
}
