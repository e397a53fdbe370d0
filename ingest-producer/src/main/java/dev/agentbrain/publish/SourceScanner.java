package dev.agentbrain.publish;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Finds the files a publish takes from a folder (walked recursively, symbolic links not followed)
 * or a single file, and says why every other file is left out: hidden (name starts with {@code .}),
 * ignored by a {@code .gitignore}/{@code .agentbrainignore} ({@link IgnoreRules}), left out by
 * {@code --include}/{@code --exclude} ({@link PathGlobs}), or not of the preset's types. A hidden
 * or ignored folder is reported once and not entered. A file named explicitly is taken if its type
 * fits the preset, whatever the ignore files say.
 */
public final class SourceScanner {

  /**
   * A file to publish.
   *
   * @param path absolute path
   * @param source path relative to the published folder, {@code /}-separated: the document's source
   * @param size bytes on disk
   * @param lastModified when the file was last modified
   * @param type what the file is published as
   */
  public record SourceFile(
      Path path, String source, long size, FileTime lastModified, FileType type) {}

  /**
   * What a scan found.
   *
   * @param scope absolute folder the sources are relative to (the folder published, or the parent
   *     of a single file): the scope of a {@code --sync}
   * @param files files to publish, sorted by source
   * @param skipped files and folders left out, with the reason
   * @param failed files and folders that could not be read
   */
  public record Scan(
      Path scope, List<SourceFile> files, List<SourceProblem> skipped, List<SourceProblem> failed) {

    /** Bytes on disk of all files to publish. */
    public long bytes() {
      return files.stream().mapToLong(SourceFile::size).sum();
    }
  }

  /**
   * Which files to take.
   *
   * @param preset file types taken
   * @param includes globs a file must match one of (none: every file)
   * @param excludes globs that leave a file out
   */
  public record Options(FilePreset preset, List<String> includes, List<String> excludes) {
    public Options {
      includes = List.copyOf(includes);
      excludes = List.copyOf(excludes);
    }

    /** Documents and code, no globs. */
    public static Options defaults() {
      return new Options(FilePreset.ALL, List.of(), List.of());
    }
  }

  private SourceScanner() {}

  /** Scans {@code root}: a folder (recursively) or one file. */
  public static Scan scan(Path root, Options options) {
    Path absolute = root.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      return single(absolute, options);
    }
    IgnoreRules ignores = IgnoreRules.forRoot(absolute);
    PathGlobs globs = new PathGlobs(options.includes(), options.excludes());
    List<SourceFile> files = new ArrayList<>();
    List<SourceProblem> skipped = new ArrayList<>();
    List<SourceProblem> failed = new ArrayList<>();
    try {
      Files.walkFileTree(
          absolute,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(absolute)) {
                String source = source(absolute, dir) + "/";
                Optional<String> reason =
                    isHidden(dir) ? Optional.of("hidden folder") : ignores.reason(dir, true);
                if (reason.isPresent()) {
                  skipped.add(new SourceProblem(source, reason.get()));
                  return FileVisitResult.SKIP_SUBTREE;
                }
              }
              ignores.enter(dir);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              String source = source(absolute, file);
              Optional<String> reason =
                  !attrs.isRegularFile()
                      ? Optional.of("not a regular file")
                      : isHidden(file)
                          ? Optional.of("hidden file")
                          : ignores.reason(file, false).or(() -> globs.reason(source));
              if (reason.isPresent()) {
                skipped.add(new SourceProblem(source, reason.get()));
                return FileVisitResult.CONTINUE;
              }
              Optional<FileType> type = options.preset().typeOf(file.getFileName().toString());
              if (type.isEmpty()) {
                skipped.add(new SourceProblem(source, notInPreset(options.preset())));
              } else {
                files.add(
                    new SourceFile(
                        file, source, attrs.size(), attrs.lastModifiedTime(), type.get()));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              failed.add(
                  new SourceProblem(source(absolute, file), "cannot be read: " + e.getMessage()));
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("could not walk " + absolute + ": " + e.getMessage(), e);
    }
    files.sort(Comparator.comparing(SourceFile::source));
    return new Scan(absolute, files, skipped, failed);
  }

  private static Scan single(Path file, Options options) {
    Path scope = file.getParent();
    String source = file.getFileName().toString();
    if (!Files.isRegularFile(file)) {
      return new Scan(
          scope, List.of(), List.of(), List.of(new SourceProblem(source, "no such file")));
    }
    Optional<FileType> type = options.preset().typeOf(source);
    if (type.isEmpty()) {
      return new Scan(
          scope,
          List.of(),
          List.of(new SourceProblem(source, notInPreset(options.preset()))),
          List.of());
    }
    try {
      return new Scan(
          scope,
          List.of(
              new SourceFile(
                  file, source, Files.size(file), Files.getLastModifiedTime(file), type.get())),
          List.of(),
          List.of());
    } catch (IOException e) {
      return new Scan(
          scope,
          List.of(),
          List.of(),
          List.of(new SourceProblem(source, "cannot be read: " + e.getMessage())));
    }
  }

  private static String notInPreset(FilePreset preset) {
    return switch (preset) {
      case DOCS -> "not a document type (--preset all takes every text file)";
      case CODE -> "not a code type (--preset all takes every text file)";
      case ALL -> "unknown type";
    };
  }

  private static String source(Path scope, Path path) {
    return scope.relativize(path).toString().replace('\\', '/');
  }

  private static boolean isHidden(Path path) {
    return path.getFileName().toString().startsWith(".");
  }
}
