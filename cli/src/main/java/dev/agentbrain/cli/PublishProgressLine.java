package dev.agentbrain.cli;

import dev.agentbrain.publish.PublishProgress;
import java.io.Console;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A live progress line on the terminal: files done of all, files/s, MB/s and the time left, redrawn
 * in place at most five times a second and cleared when the run ends.
 */
final class PublishProgressLine implements PublishProgress {

  private static final long REDRAW_NANOS = 200_000_000L;

  private final PrintStream out;
  private long started;
  private long lastDrawn;
  private int totalFiles;
  private long totalBytes;
  private int files;
  private long bytes;
  private int width;

  PublishProgressLine(PrintStream out) {
    this.out = out;
  }

  /**
   * True when the standard streams are a terminal. On Java 22+ {@code System.console()} exists even
   * when output is redirected, and {@code Console.isTerminal()} (22+, looked up reflectively
   * because the code targets 21) says whether it is a terminal.
   */
  static boolean onTerminal() {
    Console console = System.console();
    if (console == null) {
      return false;
    }
    try {
      return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
    } catch (ReflectiveOperationException e) {
      return true;
    }
  }

  @Override
  public void started(int files, long bytes) {
    started = System.nanoTime();
    // the first redraw after one interval: rates of the very first file mean nothing
    lastDrawn = started;
    totalFiles = files;
    totalBytes = bytes;
    this.files = 0;
    this.bytes = 0;
  }

  @Override
  public void advanced(int files, long bytes) {
    this.files += files;
    this.bytes += bytes;
    long now = System.nanoTime();
    if (now - lastDrawn >= REDRAW_NANOS || this.files == totalFiles) {
      lastDrawn = now;
      draw(now);
    }
  }

  /** Removes the line, before the summary is printed. */
  void clear() {
    if (width > 0) {
      out.print("\r" + " ".repeat(width) + "\r");
      out.flush();
      width = 0;
    }
  }

  private void draw(long now) {
    double seconds = Math.max((now - started) / 1e9, 1e-3);
    double filesPerSecond = files / seconds;
    double megabytesPerSecond = bytes / 1e6 / seconds;
    String eta =
        filesPerSecond > 0 && files > 0
            ? formatSeconds((totalFiles - files) / filesPerSecond)
            : "--";
    String line =
        String.format(
            Locale.ROOT,
            "%s %d/%d files  %.0f files/s  %.1f MB/s  ETA %s",
            bar(totalBytes == 0 ? 1 : (double) bytes / totalBytes),
            files,
            totalFiles,
            filesPerSecond,
            megabytesPerSecond,
            eta);
    out.print("\r" + line + " ".repeat(Math.max(0, width - line.length())));
    out.flush();
    width = line.length();
  }

  private static String bar(double done) {
    int cells = 24;
    int full = (int) Math.round(Math.min(1, done) * cells);
    return "[" + "#".repeat(full) + "-".repeat(cells - full) + "]";
  }

  private static String formatSeconds(double seconds) {
    long s = Math.round(seconds);
    return s >= 60 ? (s / 60) + "m" + (s % 60) + "s" : s + "s";
  }
}
