package dev.agentbrain.cli;

import dev.agentbrain.config.Settings;
import dev.agentbrain.publish.DocumentLimits;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FilePreset;
import dev.agentbrain.publish.FileType;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.publish.FolderWatch;
import dev.agentbrain.publish.PublishProgress;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.SourceScanner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
      "Publish files, folders (recursively) or stdin to the document topic of an index.",
      "Only new and changed files are sent: each file's content hash is compared with what the"
          + " documents topic holds. Hidden files and files matched by .gitignore or"
          + " .agentbrainignore (in any folder) are skipped, and so are binary and empty files;"
          + " every skip is reported with its reason.",
      "Text files are read as UTF-8; invalid UTF-8 is repaired (U+FFFD) and reported as a"
          + " warning. HTML and PDF text is extracted. A document over 4 MiB of text (or a file"
          + " over 64 MiB) is rejected and counted as failed.",
      "The index is created with the default embedding model when it does not exist.",
      "",
      "Exit codes: 0 everything published or unchanged; 1 some files failed (listed on stderr);"
          + " 2 bad arguments; 3 Kafka or the schema registry is not reachable."
    })
final class PublishCommand implements Callable<Integer> {

  /** Quiet time after a change before --watch publishes: an editor's save is several events. */
  private static final Duration WATCH_DEBOUNCE = Duration.ofMillis(500);

  @Mixin IndexOption index;

  @Option(
      names = "--preset",
      defaultValue = "all",
      description =
          "file types: docs (Markdown, AsciiDoc, reST, HTML, text, PDF), code (Java, Python,"
              + " TS/JS, Go, Rust, C/C++, C#, Kotlin, shell, SQL, YAML/JSON/TOML) or all (both,"
              + " and any other text file); default: ${DEFAULT-VALUE}")
  String preset;

  @Option(
      names = "--include",
      paramLabel = "GLOB",
      description =
          "publish only files matching a glob, relative to the folder (repeatable; *.md matches"
              + " in every folder)")
  List<String> includes = new ArrayList<>();

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description = "leave out files matching a glob (repeatable; wins over --include)")
  List<String> excludes = new ArrayList<>();

  @Option(
      names = "--sync",
      description =
          "also delete (tombstone) documents published from these folders whose files are gone")
  boolean sync;

  @Option(
      names = "--folder-name",
      paramLabel = "NAME",
      description =
          "the folder's name in the index, which prefixes its sources (default: the folder's own"
              + " name; a file's folder is its parent); needed when two folders of one index"
              + " have the same name")
  String folderName = "";

  @Option(names = "--dry-run", description = "show what would be sent; send nothing")
  boolean dryRun;

  @Option(names = "--json", description = "print the summary as one JSON object on stdout")
  boolean json;

  @Option(
      names = "--id",
      paramLabel = "NAME",
      description =
          "source name of the document read from stdin (PATH -); its extension, e.g. notes.md,"
              + " decides how it is read (plain text otherwise)")
  String stdinName;

  @Option(
      names = "--watch",
      description =
          "keep running: publish the folder's changes (created, modified, deleted, renamed"
              + " files) as they happen, debounced; implies --sync; one folder only")
  boolean watch;

  @Option(names = "--no-progress", description = "no live progress line, even on a terminal")
  boolean noProgress;

  @Parameters(
      arity = "1..*",
      paramLabel = "PATH",
      description = "files or folders to publish; - reads one document from stdin (needs --id)")
  List<String> paths;

  @Spec CommandSpec spec;

  /** Where settings come from; tests point it at their own topic prefix. */
  Supplier<Wiring> wiring = Wiring::fromEnvironment;

  /** Where {@code -} reads from; tests give their own stream. */
  InputStream stdin = System.in;

  @Override
  public Integer call() {
    long started = System.nanoTime();
    FolderPublisher.Options options = options();
    List<Path> sources = checkedPaths();
    Wiring wiring = this.wiring.get();
    PublishProgressLine progressLine =
        !json && !noProgress && PublishProgressLine.onTerminal()
            ? new PublishProgressLine(System.err)
            : null;
    PublishProgress progress = progressLine == null ? PublishProgress.NONE : progressLine;
    PublishSummary summary = PublishSummary.empty(dryRun);
    String topic;
    DocumentPublisher.SendStats sends;
    try (DocumentPublisher publisher =
        DocumentPublisher.connect(wiring.bootstrap(), wiring.registeredTopics())) {
      topic = publisher.topicName();
      if (!dryRun) {
        IndexContracts.ensure(
            wiring.contracts(), index.name, wiring.settings.get(Settings.EMBEDDING_MODEL));
      }
      FolderPublisher folders = new FolderPublisher(publisher, "agent-brain-cli@" + hostName());
      if (watch) {
        return watch(publisher, folders, sources.get(0), options);
      }
      for (int i = 0; i < paths.size(); i++) {
        if (paths.get(i).equals("-")) {
          byte[] raw = readStdin();
          FileType type = FileType.of(stdinName).orElse(FileType.PLAIN_TEXT);
          summary = summary.plus(folders.publishContent(index.name, stdinName, raw, type, dryRun));
        } else {
          summary = summary.plus(folders.publish(sources.get(i), index.name, options, progress));
        }
      }
      sends = publisher.sendStats();
    } finally {
      if (progressLine != null) {
        progressLine.clear();
      }
    }
    int exitCode = summary.ok() ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE;
    report(
        new PublishReport(
            index.name, topic, summary, sends, (System.nanoTime() - started) / 1e9, exitCode));
    return exitCode;
  }

  /**
   * Publishes the folder, then keeps publishing its changes until the process is interrupted
   * (Ctrl-C). Every publish waits for Kafka's acknowledgements before the next, so stopping between
   * two loses nothing; a publish cut short is completed by the next run, which sees from the topic
   * what is missing.
   */
  private int watch(
      DocumentPublisher publisher,
      FolderPublisher folders,
      Path folder,
      FolderPublisher.Options options) {
    FolderWatch folderWatch =
        new FolderWatch(
            folders, publisher.published(), folder, index.name, options, WATCH_DEBOUNCE);
    CountDownLatch stopped = new CountDownLatch(1);
    Thread stop =
        new Thread(
            () -> {
              folderWatch.close();
              try {
                stopped.await(30, TimeUnit.SECONDS);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            },
            "agent-brain-publish-stop");
    Runtime.getRuntime().addShutdownHook(stop);
    spec.commandLine().getErr().println("watching " + folder + " for changes (Ctrl-C stops)");
    spec.commandLine().getErr().flush();
    try {
      folderWatch.run(
          summary -> {
            if (summary.published() + summary.deleted() + summary.failed().size() == 0) {
              return;
            }
            PublishReport report =
                new PublishReport(
                    index.name,
                    publisher.topicName(),
                    summary,
                    publisher.sendStats(),
                    0,
                    summary.ok() ? AgentBrain.OK : AgentBrain.PARTIAL_FAILURE);
            if (json) {
              report.printJson(spec.commandLine().getOut());
            } else {
              report.printChange(spec.commandLine().getOut(), spec.commandLine().getErr());
            }
          });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      stopped.countDown();
    }
    return AgentBrain.OK;
  }

  private void report(PublishReport report) {
    if (json) {
      report.printJson(spec.commandLine().getOut());
    } else {
      report.printText(spec.commandLine().getOut(), spec.commandLine().getErr());
    }
  }

  private FolderPublisher.Options options() {
    FilePreset filePreset;
    try {
      filePreset = FilePreset.valueOf(preset.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--preset must be docs, code or all, not '" + preset + "'", e);
    }
    return new FolderPublisher.Options(
        new SourceScanner.Options(filePreset, includes, excludes), sync, dryRun, folderName);
  }

  /** The paths as given, checked before anything connects; null in the place of stdin. */
  private List<Path> checkedPaths() {
    List<Path> checked = new ArrayList<>();
    long stdin = paths.stream().filter("-"::equals).count();
    if (stdin > 1) {
      throw new IllegalArgumentException("stdin (-) can be published only once per command");
    }
    if (stdin == 1 && (stdinName == null || stdinName.isBlank())) {
      throw new IllegalArgumentException(
          "publishing stdin (-) needs a name: --id NAME, e.g. --id my-note.md");
    }
    if (watch && (paths.size() != 1 || stdin > 0 || !Files.isDirectory(Path.of(paths.get(0))))) {
      throw new IllegalArgumentException("--watch takes exactly one folder");
    }
    if (!folderName.isEmpty() && (paths.size() != 1 || stdin > 0)) {
      throw new IllegalArgumentException(
          "--folder-name names one folder: publish each folder with its own command");
    }
    if (stdin == 0 && stdinName != null) {
      throw new IllegalArgumentException("--id names the document read from stdin: add - as PATH");
    }
    for (String path : paths) {
      if (path.equals("-")) {
        checked.add(null);
        continue;
      }
      Path p = Path.of(path);
      if (!Files.exists(p)) {
        throw new IllegalArgumentException(path + " does not exist");
      }
      checked.add(p);
    }
    return checked;
  }

  private byte[] readStdin() {
    try {
      byte[] raw = stdin.readNBytes((int) DocumentLimits.MAX_FILE_BYTES + 1);
      if (raw.length > DocumentLimits.MAX_FILE_BYTES) {
        throw new IllegalArgumentException(
            "stdin holds more than "
                + DocumentLimits.MAX_FILE_BYTES / (1024 * 1024)
                + " MiB, the limit of one document — split it into smaller documents");
      }
      return raw;
    } catch (IOException e) {
      throw new UncheckedIOException("could not read stdin: " + e.getMessage(), e);
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "localhost";
    }
  }
}
