package dev.agentbrain.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The folders under which a job may read files ({@code AGENT_BRAIN_INDEX_ROOTS}): a path given over
 * the API is accepted only when it is absolute, has no {@code ..}, exists, and its real location
 * (every symlink followed) lies under the real location of a root.
 */
public final class IndexRoots {

  private final List<Path> roots;

  /**
   * @param roots absolute folders; none means no folder may be indexed over the API
   */
  public IndexRoots(List<Path> roots) {
    this.roots = List.copyOf(roots);
  }

  /**
   * The real path of {@code path} when it may be indexed.
   *
   * @throws JobException {@code NOT_ALLOWED} or {@code INVALID} or {@code NOT_FOUND}, saying why
   */
  public Path check(String path) {
    if (roots.isEmpty()) {
      throw new JobException(
          JobException.Reason.NOT_ALLOWED,
          "this server may not index folders: no index roots are configured — set"
              + " AGENT_BRAIN_INDEX_ROOTS to the folders (absolute, separated by :) it may read,"
              + " or publish with `agent-brain publish`");
    }
    Path asked;
    try {
      asked = Path.of(path);
    } catch (InvalidPathException e) {
      throw new JobException(JobException.Reason.INVALID, "'" + path + "' is not a valid path");
    }
    if (!asked.isAbsolute()) {
      throw new JobException(
          JobException.Reason.INVALID, "the folder path must be absolute, not '" + path + "'");
    }
    for (Path part : asked) {
      if (part.toString().equals("..")) {
        throw notAllowed(path, "a path with .. is refused");
      }
    }
    Path real;
    try {
      real = asked.toRealPath();
    } catch (IOException e) {
      if (!Files.exists(asked, java.nio.file.LinkOption.NOFOLLOW_LINKS) && underRoot(asked)) {
        throw new JobException(JobException.Reason.NOT_FOUND, "there is no folder " + path);
      }
      throw notAllowed(path, "it does not exist or cannot be read");
    }
    if (!underRoot(real)) {
      throw notAllowed(
          path, real.equals(asked.normalize()) ? "it is outside them" : "it leads to " + real);
    }
    return real;
  }

  private boolean underRoot(Path path) {
    for (Path root : realRoots()) {
      if (path.startsWith(root)) {
        return true;
      }
    }
    return false;
  }

  private List<Path> realRoots() {
    List<Path> real = new ArrayList<>();
    for (Path root : roots) {
      try {
        real.add(root.toRealPath());
      } catch (IOException e) {
        // a root that does not exist admits nothing
      }
    }
    return real;
  }

  private JobException notAllowed(String path, String why) {
    return new JobException(
        JobException.Reason.NOT_ALLOWED,
        path
            + " may not be indexed: only folders under "
            + roots.stream().map(Path::toString).collect(Collectors.joining(", "))
            + " (AGENT_BRAIN_INDEX_ROOTS) may, and "
            + why);
  }
}
