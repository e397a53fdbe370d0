package dev.agentbrain.charts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One run of a benchmark and what it leaves: {@code <name>.json}, {@code <name>.md} and {@code
 * <name>.png} in one folder, each saying the command that made it and the machine it ran on (cores
 * and the load average at the start and the end, since the machine is shared).
 *
 * <p>Start it before measuring ({@link #start}), so that the load at the start is the load before
 * the run added its own.
 */
public final class BenchmarkRun {

  private final String command;
  private final String loadAtStart;

  private BenchmarkRun(String command, String loadAtStart) {
    this.command = command;
    this.loadAtStart = loadAtStart;
  }

  /**
   * @param command what a person types to repeat the run, e.g. {@code make bench-scale}
   */
  public static BenchmarkRun start(String command) {
    return new BenchmarkRun(command, loadAverage());
  }

  /** The first three fields of {@code /proc/loadavg} (1, 5 and 15 minutes), or "unknown". */
  public static String loadAverage() {
    try {
      String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
      return String.join(" ", fields[0], fields[1], fields[2]);
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }

  /** The load average when the run started. */
  public String loadAtStart() {
    return loadAtStart;
  }

  /** "2 cores, load average … at the start, … at the end", the end being now. */
  public String machine() {
    return "%d cores, load average %s at the start, %s at the end"
        .formatted(Runtime.getRuntime().availableProcessors(), loadAtStart, loadAverage());
  }

  /** A JSON object that starts with the command, the time and {@code machine}, in that order. */
  public Map<String, Object> json(String machine) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("command", command);
    json.put("measured_at", Instant.now().toString());
    json.put("machine", machine);
    return json;
  }

  /**
   * Writes {@code <name>.json} (indented), {@code <name>.md} and the chart as {@code <name>.png}
   * into {@code folder}, creating it.
   *
   * @throws UncheckedIOException when a file cannot be written
   */
  public void write(
      Path folder,
      String name,
      Map<String, Object> json,
      String markdown,
      BenchmarkChart chart,
      int width,
      int height) {
    Path jsonFile = folder.resolve(name + ".json");
    try {
      Files.createDirectories(folder);
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(jsonFile.toFile(), json);
      Files.writeString(folder.resolve(name + ".md"), markdown, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jsonFile + " or its .md", e);
    }
    chart.save(folder.resolve(name + ".png"), width, height);
    System.out.printf("wrote %s, .md and .png%n", jsonFile);
  }
}
