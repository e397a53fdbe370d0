package dev.agentbrain.publish;

import java.nio.file.Path;
import java.util.Optional;

/** The names of folders within an index, and the rule that one name stands for one folder. */
public final class FolderNames {

  private static final int MAX_LENGTH = 100;

  private FolderNames() {}

  /** The name a folder gets unless one is given: its own name ({@code root} for {@code /}). */
  public static String of(Path absoluteFolder) {
    return Optional.ofNullable(absoluteFolder.getFileName()).map(Path::toString).orElse("root");
  }

  /**
   * Checks a name given by a user.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  public static void requireValid(String name) {
    if (name.isBlank()
        || name.length() > MAX_LENGTH
        || name.equals(".")
        || name.equals("..")
        || name.chars().anyMatch(c -> c == '/' || c == '\\' || Character.isISOControl(c))) {
      throw new IllegalArgumentException(
          "a folder name must be 1 to "
              + MAX_LENGTH
              + " characters without / or \\ (it prefixes every source of the folder), not '"
              + name
              + "'");
    }
  }

  /**
   * Refuses to publish the absolute folder {@code scope} as {@code name} into {@code index} when
   * the index holds another folder of that name, or holds this folder under another name.
   *
   * @throws FolderConflictException saying which folder holds the name and what to do
   */
  public static void requireFree(
      PublishedDocuments manifest, String index, String name, String scope) {
    for (PublishedFolder folder : manifest.folders()) {
      if (!folder.index().equals(index) || folder.name().isEmpty()) {
        continue;
      }
      if (folder.name().equals(name) && !folder.path().equals(scope)) {
        throw new FolderConflictException(
            "index '%s' already holds a folder named '%s', published from %s: publish %s under another name (--folder-name NAME), or remove the other first (agent-brain folders remove %s --index %s)"
                .formatted(index, name, folder.path(), scope, name, index));
      }
      if (folder.path().equals(scope) && !folder.name().equals(name)) {
        throw new FolderConflictException(
            "%s is already in index '%s' as the folder '%s': publish it under that name (--folder-name %s), or remove that folder first (agent-brain folders remove %s --index %s)"
                .formatted(scope, index, folder.name(), folder.name(), folder.name(), index));
      }
    }
  }
}
