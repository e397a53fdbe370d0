package dev.agentbrain.publish;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Optional;

/**
 * {@code --include} and {@code --exclude} globs, matched against a source's path relative to the
 * published folder ({@code /}-separated). A glob without {@code /} matches the file name in any
 * folder ({@code *.md}); {@code **}{@code /x} also matches {@code x} at the top. An exclude wins
 * over an include; with no include, everything is included.
 */
final class PathGlobs {

  private record Glob(String text, List<PathMatcher> matchers) {
    boolean matches(Path relative) {
      return matchers.stream().anyMatch(m -> m.matches(relative));
    }
  }

  private final List<Glob> includes;
  private final List<Glob> excludes;

  PathGlobs(List<String> includes, List<String> excludes) {
    this.includes = includes.stream().map(PathGlobs::compile).toList();
    this.excludes = excludes.stream().map(PathGlobs::compile).toList();
  }

  /** Why the source at {@code relative} is left out, or empty when it is taken. */
  Optional<String> reason(String relative) {
    Path path = Path.of(relative);
    for (Glob exclude : excludes) {
      if (exclude.matches(path)) {
        return Optional.of("excluded by --exclude " + exclude.text());
      }
    }
    if (!includes.isEmpty() && includes.stream().noneMatch(g -> g.matches(path))) {
      return Optional.of("matches no --include");
    }
    return Optional.empty();
  }

  private static Glob compile(String glob) {
    var fs = FileSystems.getDefault();
    if (!glob.contains("/")) {
      PathMatcher name = fs.getPathMatcher("glob:" + glob);
      return new Glob(
          glob, List.of(path -> path.getFileName() != null && name.matches(path.getFileName())));
    }
    String anchored = glob.startsWith("/") ? glob.substring(1) : glob;
    if (anchored.startsWith("**/")) {
      return new Glob(
          glob,
          List.of(
              fs.getPathMatcher("glob:" + anchored),
              fs.getPathMatcher("glob:" + anchored.substring(3))));
    }
    return new Glob(glob, List.of(fs.getPathMatcher("glob:" + anchored)));
  }
}
