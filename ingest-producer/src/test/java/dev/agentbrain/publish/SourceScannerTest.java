package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SourceScannerTest {

  @TempDir Path folder;

  @Test
  @DisplayName("nested .gitignore files apply below their folder, and ! re-includes a file")
  void nestedGitignoresApply() throws IOException {
    write(".gitignore", "*.log\nbuild/\n");
    write("guide.md", "# Guide");
    write("debug.log", "noise");
    write("build/out.md", "generated");
    write("api/.gitignore", "*.txt\n!keep.txt\n");
    write("api/notes.txt", "ignored");
    write("api/keep.txt", "kept");

    SourceScanner.Scan scan = SourceScanner.scan(folder, SourceScanner.Options.defaults());

    assertThat(sources(scan)).containsExactly("api/keep.txt", "guide.md");
    assertThat(scan.skipped())
        .contains(
            new SourceProblem("debug.log", "ignored by .gitignore"),
            new SourceProblem("build/", "ignored by .gitignore"),
            new SourceProblem("api/notes.txt", "ignored by api/.gitignore"),
            new SourceProblem(".gitignore", "hidden file"));
  }

  @Test
  @DisplayName(".agentbrainignore leaves out files that git keeps")
  void projectIgnoreFileApplies() throws IOException {
    write(".agentbrainignore", "drafts/\n");
    write("drafts/idea.md", "half-baked");
    write("done.md", "finished");

    SourceScanner.Scan scan = SourceScanner.scan(folder, SourceScanner.Options.defaults());

    assertThat(sources(scan)).containsExactly("done.md");
    assertThat(scan.skipped())
        .contains(new SourceProblem("drafts/", "ignored by .agentbrainignore"));
  }

  @Test
  @DisplayName("hidden files and folders are skipped, a hidden folder reported once")
  void hiddenFilesAreSkipped() throws IOException {
    write(".git/config", "[core]");
    write(".git/HEAD", "ref");
    write(".env", "SECRET=1");
    write("readme.md", "# Readme");

    SourceScanner.Scan scan = SourceScanner.scan(folder, SourceScanner.Options.defaults());

    assertThat(sources(scan)).containsExactly("readme.md");
    assertThat(scan.skipped())
        .containsExactlyInAnyOrder(
            new SourceProblem(".git/", "hidden folder"), new SourceProblem(".env", "hidden file"));
  }

  @Test
  @DisplayName("--include and --exclude globs select files by relative path or by name")
  void globsSelectFiles() throws IOException {
    write("a.md", "a");
    write("docs/b.md", "b");
    write("docs/old/c.md", "c");
    write("docs/d.txt", "d");

    SourceScanner.Scan scan =
        SourceScanner.scan(
            folder,
            new SourceScanner.Options(FilePreset.ALL, List.of("**/*.md"), List.of("docs/old/**")));

    assertThat(sources(scan)).containsExactly("a.md", "docs/b.md");
    assertThat(scan.skipped())
        .contains(
            new SourceProblem("docs/old/c.md", "excluded by --exclude docs/old/**"),
            new SourceProblem("docs/d.txt", "matches no --include"));
  }

  @Test
  @DisplayName("presets take documents or code, and say why a file is left out")
  void presetsSelectTypes() throws IOException {
    write("guide.md", "# Guide");
    write("page.html", "<p>x</p>");
    write("Main.java", "class Main {}");
    write("LICENSE", "Apache");

    SourceScanner.Scan docs =
        SourceScanner.scan(
            folder, new SourceScanner.Options(FilePreset.DOCS, List.of(), List.of()));
    SourceScanner.Scan code =
        SourceScanner.scan(
            folder, new SourceScanner.Options(FilePreset.CODE, List.of(), List.of()));
    SourceScanner.Scan all = SourceScanner.scan(folder, SourceScanner.Options.defaults());

    assertThat(sources(docs)).containsExactly("guide.md", "page.html");
    assertThat(docs.skipped())
        .contains(
            new SourceProblem(
                "Main.java", "not a document type (--preset all takes every text file)"));
    assertThat(sources(code)).containsExactly("Main.java");
    assertThat(sources(all)).containsExactly("LICENSE", "Main.java", "guide.md", "page.html");
    assertThat(all.files().get(0).type()).isEqualTo(FileType.PLAIN_TEXT);
  }

  @Test
  @DisplayName("a single file is scanned relative to its folder")
  void singleFileIsRelativeToItsFolder() throws IOException {
    write("guide.md", "# Guide");

    SourceScanner.Scan scan =
        SourceScanner.scan(folder.resolve("guide.md"), SourceScanner.Options.defaults());

    assertThat(sources(scan)).containsExactly("guide.md");
    assertThat(scan.scope()).isEqualTo(folder.toAbsolutePath().normalize());
  }

  private void write(String relative, String text) throws IOException {
    Path file = folder.resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, text);
  }

  private static List<String> sources(SourceScanner.Scan scan) {
    return scan.files().stream().map(SourceScanner.SourceFile::source).toList();
  }
}
