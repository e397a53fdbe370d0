package dev.agentbrain.publish;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.ignore.IgnoreNode;

/**
 * The ignore files that apply while walking a folder: {@code .agentbrainignore} (this project's
 * own, for files that git keeps but the index should not) and {@code .gitignore}, in every folder
 * of the walk, with git's syntax and precedence (JGit's matcher): a deeper file overrides a
 * shallower one, a later line overrides an earlier one, {@code !} re-includes. When the folder is
 * inside a git work tree, the ignore files of the folders above it up to the work tree's top (and
 * {@code .git/info/exclude}) apply too, as they do for git. Not thread-safe: one per walk.
 */
final class IgnoreRules {

  /** Ignore files in the order they are consulted within one folder. */
  static final List<String> FILE_NAMES = List.of(".agentbrainignore", ".gitignore");

  private record Rules(String file, IgnoreNode node) {}

  private final Path root;
  private final Path top;
  private final Map<Path, List<Rules>> byFolder = new HashMap<>();

  private IgnoreRules(Path root, Path top) {
    this.root = root;
    this.top = top;
  }

  /** The rules for a walk of {@code root} (absolute, normalised), with those of its ancestors. */
  static IgnoreRules forRoot(Path root) {
    Optional<Path> workTree = gitWorkTree(root);
    IgnoreRules rules = new IgnoreRules(root, workTree.orElse(root));
    workTree.ifPresent(
        top -> {
          for (Path folder = root.getParent();
              folder != null && folder.startsWith(top);
              folder = folder.getParent()) {
            rules.enter(folder);
          }
          Path exclude = top.resolve(".git/info/exclude");
          if (Files.isRegularFile(exclude)) {
            rules
                .byFolder
                .computeIfAbsent(top, f -> new ArrayList<>())
                .add(rules.load(exclude, top));
          }
        });
    return rules;
  }

  /** Loads the ignore files of a folder; call it as the walk enters the folder. */
  void enter(Path folder) {
    List<Rules> rules = new ArrayList<>();
    for (String name : FILE_NAMES) {
      Path file = folder.resolve(name);
      if (Files.isRegularFile(file)) {
        rules.add(load(file, folder));
      }
    }
    if (!rules.isEmpty()) {
      byFolder.merge(
          folder,
          rules,
          (old, added) -> {
            List<Rules> all = new ArrayList<>(added);
            all.addAll(old);
            return all;
          });
    }
  }

  /**
   * Why {@code path} (absolute, under a folder already entered) is ignored, naming the ignore file,
   * or empty when it is not.
   */
  Optional<String> reason(Path path, boolean isFolder) {
    for (Path folder = path.getParent();
        folder != null && folder.startsWith(top);
        folder = folder.getParent()) {
      for (Rules rules : byFolder.getOrDefault(folder, List.of())) {
        String relative = folder.relativize(path).toString().replace('\\', '/');
        Boolean ignored = rules.node().checkIgnored(relative, isFolder);
        if (ignored != null) {
          return ignored ? Optional.of("ignored by " + rules.file()) : Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<Path> gitWorkTree(Path folder) {
    for (Path f = folder; f != null; f = f.getParent()) {
      if (Files.exists(f.resolve(".git"))) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  private Rules load(Path file, Path folder) {
    IgnoreNode node = new IgnoreNode();
    try (InputStream in = Files.newInputStream(file)) {
      node.parse(file.toString(), in);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file + ": " + e.getMessage(), e);
    }
    String shown = file.startsWith(root) ? root.relativize(file).toString() : file.toString();
    return new Rules(shown, node);
  }
}
