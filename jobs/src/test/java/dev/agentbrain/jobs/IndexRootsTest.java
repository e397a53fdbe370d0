package dev.agentbrain.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which folders a job may read, on a real file system with real symlinks. */
class IndexRootsTest {

  @TempDir Path disk;

  private Path root;
  private Path notes;
  private Path outside;
  private IndexRoots roots;

  @BeforeEach
  void folders() throws Exception {
    root = Files.createDirectories(disk.resolve("root"));
    notes = Files.createDirectories(root.resolve("notes"));
    outside = Files.createDirectories(disk.resolve("private"));
    roots = new IndexRoots(List.of(root));
  }

  private void assertRefused(
      IndexRoots roots, String path, JobException.Reason reason, String why) {
    assertThatThrownBy(() -> roots.check(path))
        .as(path)
        .isInstanceOfSatisfying(
            JobException.class, e -> assertThat(e.reason()).as(path).isEqualTo(reason))
        .hasMessageContaining(why);
  }

  @Test
  @DisplayName(
      "a folder under a root is accepted at its real path; .., relative paths, NUL, a missing"
          + " folder and folders outside are refused, saying why")
  void onlyFoldersUnderARoot() throws Exception {
    assertThat(roots.check(notes.toString())).isEqualTo(notes.toRealPath());
    assertRefused(roots, notes + "/../../private", JobException.Reason.NOT_ALLOWED, "..");
    assertRefused(roots, "notes", JobException.Reason.INVALID, "must be absolute");
    assertRefused(roots, root + "/no\u0000tes", JobException.Reason.INVALID, "not a valid path");
    assertRefused(roots, root + "/missing", JobException.Reason.NOT_FOUND, "there is no folder");
    assertRefused(roots, outside.toString(), JobException.Reason.NOT_ALLOWED, "outside them");
    assertRefused(
        new IndexRoots(List.of()),
        notes.toString(),
        JobException.Reason.NOT_ALLOWED,
        "AGENT_BRAIN_INDEX_ROOTS");
  }

  @Test
  @DisplayName(
      "a symlink under a root that leads out of it, to a folder or up to the root's parent, is"
          + " refused naming where it leads; one that stays inside is accepted at its target")
  void symlinksAreFollowedBeforeTheCheck() throws Exception {
    Files.createSymbolicLink(root.resolve("escape"), outside);
    Files.createSymbolicLink(root.resolve("parent"), disk);
    Files.createSymbolicLink(root.resolve("shortcut"), notes);
    Files.createSymbolicLink(root.resolve("dangling"), disk.resolve("gone"));

    assertRefused(
        roots,
        root.resolve("escape").toString(),
        JobException.Reason.NOT_ALLOWED,
        "it leads to " + outside.toRealPath());
    assertRefused(
        roots,
        root.resolve("parent").toString(),
        JobException.Reason.NOT_ALLOWED,
        "it leads to " + disk.toRealPath());
    assertRefused(
        roots,
        root.resolve("dangling").toString(),
        JobException.Reason.NOT_ALLOWED,
        "it does not exist or cannot be read");
    assertThat(roots.check(root.resolve("shortcut").toString())).isEqualTo(notes.toRealPath());
  }
}
