package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.testing.SharedData;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Change detection and sync against the real broker and registry, on the shared docs corpus; and a
 * folder of hostile files, each its own problem.
 */
class FolderSyncIT {

  private static final String INDEX = "docs";
  private static final FolderPublisher.Options DOCS =
      new FolderPublisher.Options(
          new SourceScanner.Options(FilePreset.DOCS, List.of(), List.of()), false, false);
  private static final FolderPublisher.Options SYNC =
      new FolderPublisher.Options(DOCS.scan(), true, false);
  private static final FolderPublisher.Options ALL =
      new FolderPublisher.Options(
          new SourceScanner.Options(FilePreset.ALL, List.of(), List.of()), false, false);

  private DocumentTopic topic;

  @BeforeEach
  void topic() {
    topic = new DocumentTopic();
  }

  @AfterEach
  void deleteTopic() {
    topic.close();
  }

  @Test
  @DisplayName("publishing the docs corpus twice sends every file once, then nothing")
  void publishingTwiceSendsEveryFileOnce() {
    Path corpus = SharedData.docsCorpus();

    PublishSummary first = publish(corpus, DOCS);
    // a new publisher, as after a restart: the manifest comes from the topic alone
    PublishSummary second = publish(corpus, DOCS);

    assertThat(first.published()).isGreaterThan(1800);
    assertThat(first.failed()).isEmpty();
    assertThat(second.published()).isZero();
    assertThat(second.unchanged()).isEqualTo(first.published());
    assertThat(topic.records()).hasSize(first.published());
  }

  @Test
  @DisplayName("a changed file sends one event; a deleted file with sync sends one tombstone")
  void changesAndDeletesSendOneRecordEach(@TempDir Path copy) throws Exception {
    DocumentTopic.copy(SharedData.docsCorpus(), copy);
    int files = publish(copy, SYNC).published();
    Path changed = copy.resolve("SOURCE.md");
    Path removed = copy.resolve("opensearch-documentation-website/_api-reference/index.md");
    assertThat(removed).exists();

    Files.writeString(changed, "\nOne more line.\n", java.nio.file.StandardOpenOption.APPEND);
    PublishSummary afterChange = publish(copy, SYNC);
    Files.delete(removed);
    PublishSummary afterDelete = publish(copy, SYNC);

    assertThat(afterChange.published()).isEqualTo(1);
    assertThat(afterChange.unchanged()).isEqualTo(files - 1);
    assertThat(afterDelete.published()).isZero();
    assertThat(afterDelete.deleted()).isEqualTo(1);
    List<DocumentTopic.Entry> records = topic.records();
    assertThat(records).hasSize(files + 2);
    assertThat(records.stream().filter(DocumentTopic.Entry::tombstone))
        .containsExactly(
            new DocumentTopic.Entry(
                id(copy, "opensearch-documentation-website/_api-reference/index.md"), true));
    assertThat(topic.events())
        .filteredOn(e -> e.getSource().equals(copy.getFileName() + "/SOURCE.md"))
        .extracting(DocumentEvent::getVersion)
        .isSorted()
        .doesNotHaveDuplicates();
  }

  @Test
  @DisplayName("a renamed file is a tombstone for the old name and a new document with sync")
  void renameIsDeletePlusNew(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("old.md"), "# Notes\n\nSame text.\n");
    Files.writeString(folder.resolve("other.md"), "# Other\n");
    publish(folder, SYNC);

    Files.move(folder.resolve("old.md"), folder.resolve("new.md"));
    PublishSummary summary = publish(folder, SYNC);

    assertThat(summary.published()).isEqualTo(1);
    assertThat(summary.deleted()).isEqualTo(1);
    assertThat(summary.unchanged()).isEqualTo(1);
    assertThat(topic.records())
        .contains(
            new DocumentTopic.Entry(id(folder, "old.md"), true),
            new DocumentTopic.Entry(id(folder, "new.md"), false));
  }

  @Test
  @DisplayName(
      "sync never tombstones a file that still exists: emptied while an editor rewrites it, or"
          + " binary for a moment, it keeps its published text")
  void syncKeepsAFileThatStillExists(@TempDir Path folder) throws Exception {
    Path notes = Files.writeString(folder.resolve("notes.md"), "# Notes\n\nkept\n");
    Path other = Files.writeString(folder.resolve("other.md"), "# Other\n");
    publish(folder, SYNC);

    Files.write(notes, new byte[0]);
    PublishSummary whileEmpty = publish(folder, SYNC);
    Files.write(notes, new byte[] {'#', 0, 1});
    PublishSummary whileBinary = publish(folder, SYNC);
    Files.delete(other);
    PublishSummary afterDelete = publish(folder, SYNC);

    assertThat(whileEmpty.deleted()).isZero();
    assertThat(whileEmpty.skipped()).extracting(SourceProblem::source).contains("notes.md");
    assertThat(whileBinary.deleted()).isZero();
    assertThat(afterDelete.deleted()).isEqualTo(1);
    assertThat(topic.records().stream().filter(DocumentTopic.Entry::tombstone))
        .containsExactly(new DocumentTopic.Entry(id(folder, "other.md"), true));
  }

  @Test
  @DisplayName("without sync a deleted file stays published; sync of another folder leaves it be")
  void syncIsScopedToItsFolder(@TempDir Path root) throws Exception {
    Path a = Files.createDirectories(root.resolve("a"));
    Path b = Files.createDirectories(root.resolve("b"));
    Files.writeString(a.resolve("one.md"), "# One\n");
    Files.writeString(b.resolve("two.md"), "# Two\n");
    publish(a, SYNC);
    publish(b, SYNC);

    Files.delete(a.resolve("one.md"));
    PublishSummary withoutSync = publish(a, DOCS);
    PublishSummary otherFolder = publish(b, SYNC);

    assertThat(withoutSync.deleted()).isZero();
    assertThat(otherFolder.deleted()).isZero();
    assertThat(publish(a, SYNC).deleted()).isEqualTo(1);
  }

  @Test
  @DisplayName(
      "two folders of one index with the same relative paths are two documents each; a second"
          + " folder under a taken name is refused until it gets its own")
  void foldersHaveNamesOfTheirOwn(@TempDir Path root) throws Exception {
    Path first = Files.createDirectories(root.resolve("one/docs"));
    Path second = Files.createDirectories(root.resolve("two/docs"));
    Path other = Files.createDirectories(root.resolve("other"));
    for (Path folder : List.of(first, second, other)) {
      Files.writeString(folder.resolve("README.md"), "# Readme of " + folder + "\n");
    }
    publish(first, SYNC);
    publish(other, SYNC);

    assertThatThrownBy(() -> publish(second, SYNC))
        .isInstanceOf(FolderConflictException.class)
        .hasMessage(
            "index 'docs' already holds a folder named 'docs', published from %s: publish %s under"
                + " another name (--folder-name NAME), or remove the other first (agent-brain"
                + " folders remove docs --index docs)",
            first, second);
    assertThatThrownBy(
            () -> publish(first, new FolderPublisher.Options(SYNC.scan(), true, false, "mine")))
        .isInstanceOf(FolderConflictException.class)
        .hasMessageStartingWith(first + " is already in index 'docs' as the folder 'docs'");
    publish(second, new FolderPublisher.Options(SYNC.scan(), true, false, "docs-two"));

    assertThat(topic.events())
        .extracting(DocumentEvent::getSource, DocumentEvent::getId)
        .containsExactlyInAnyOrder(
            tuple("docs/README.md", DocumentIds.inFolder(INDEX, "docs", "README.md")),
            tuple("other/README.md", DocumentIds.inFolder(INDEX, "other", "README.md")),
            tuple("docs-two/README.md", DocumentIds.inFolder(INDEX, "docs-two", "README.md")));
  }

  @Test
  @DisplayName("a dry run reports what would be sent and sends nothing")
  void dryRunSendsNothing(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("a.md"), "# A\n");
    Files.writeString(folder.resolve("b.md"), "# B\n");

    PublishSummary dry = publish(folder, new FolderPublisher.Options(DOCS.scan(), true, true));

    assertThat(dry.published()).isEqualTo(2);
    assertThat(dry.dryRun()).isTrue();
    assertThat(topic.records()).isEmpty();
  }

  @Test
  @DisplayName("text given as bytes (stdin) is published once, and not again when unchanged")
  void contentIsPublishedOnce() {
    byte[] note =
        "# My note\n\nRemember the milk.\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    try (DocumentPublisher publisher = topic.connect()) {
      FolderPublisher folders = new FolderPublisher(publisher, "it");
      PublishSummary first =
          folders.publishContent(INDEX, "my-note", note, FileType.of("x.md").orElseThrow(), false);
      PublishSummary second =
          folders.publishContent(INDEX, "my-note", note, FileType.of("x.md").orElseThrow(), false);

      assertThat(first.published()).isEqualTo(1);
      assertThat(second.unchanged()).isEqualTo(1);
    }
    assertThat(topic.events())
        .singleElement()
        .satisfies(
            e -> {
              assertThat(e.getId()).isEqualTo(DocumentIds.of(INDEX, "my-note"));
              assertThat(e.getLanguage()).isEqualTo("markdown");
            });
  }

  @Test
  @DisplayName("an unreachable Kafka fails with a message that says to start it with make up")
  void unreachableKafkaSaysWhatToDo() {
    assertThatThrownBy(() -> DocumentPublisher.connect("127.0.0.1:1", topic.topics))
        .isInstanceOf(KafkaUnavailableException.class)
        .hasMessage("Kafka is not reachable at 127.0.0.1:1 — start it with `make up`");
  }

  private static String id(Path folder, String relativePath) {
    return DocumentIds.inFolder(INDEX, folder.getFileName().toString(), relativePath);
  }

  @Test
  @DisplayName(
      "binary, empty, oversized and invalid UTF-8 files, a symlink loop, a link out of the folder"
          + " and names with newlines or unicode: good files arrive exactly, bad ones are reported")
  void hostileFilesAreEachTheirOwnProblem(@TempDir Path root) throws Exception {
    Path folder = Files.createDirectories(root.resolve("folder"));
    Files.writeString(folder.resolve("good.md"), "# Good\n\nplain text\n");
    Files.writeString(folder.resolve("naïve – 東京.md"), "# Unicode\n\nname and text: 東京\n");
    Files.writeString(folder.resolve("line\nbreak.md"), "# Newline\n\nin the name\n");
    Files.write(folder.resolve("binary.md"), new byte[] {'#', ' ', 'x', 0, 1, 2, 0, 'y'});
    Files.write(folder.resolve("empty.md"), new byte[0]);
    Files.write(
        folder.resolve("latin1.md"),
        "caf\u00e9 cr\u00e8me\n".getBytes(StandardCharsets.ISO_8859_1));
    byte[] huge = new byte[DocumentLimits.MAX_CONTENT_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) 'a');
    Files.write(folder.resolve("huge.md"), huge);
    Files.createDirectories(folder.resolve("loop"));
    Files.createSymbolicLink(folder.resolve("loop/again"), folder.resolve("loop"));
    Files.writeString(root.resolve("secret.md"), "# outside the folder\n");
    Files.createSymbolicLink(folder.resolve("escape.md"), root.resolve("secret.md"));
    Files.createSymbolicLink(folder.resolve("up"), root);

    PublishSummary summary;
    try (DocumentPublisher publisher = topic.connect()) {
      summary =
          new FolderPublisher(publisher, "it")
              .publish(folder, "hostile", ALL, PublishProgress.NONE);
    }

    Map<String, String> texts =
        topic.events().stream()
            .collect(
                Collectors.toMap(
                    DocumentEvent::getSource, e -> e.getContent().toString(), (a, b) -> b));
    Map<String, String> left =
        summary.skipped().stream()
            .collect(Collectors.toMap(SourceProblem::source, SourceProblem::reason));
    Map<String, String> failed =
        summary.failed().stream()
            .collect(Collectors.toMap(SourceProblem::source, SourceProblem::reason));
    String report = "published " + texts.keySet() + ", skipped " + left + ", failed " + failed;

    // the good files, with their exact text; the repaired one with U+FFFD and a warning
    assertThat(texts.get("folder/good.md")).as(report).isEqualTo("# Good\n\nplain text\n");
    assertThat(texts.get("folder/naïve – 東京.md")).as(report).contains("東京");
    assertThat(texts.get("folder/line\nbreak.md")).as(report).contains("in the name");
    assertThat(texts.get("folder/latin1.md")).as(report).contains("caf\uFFFD");
    assertThat(summary.warnings()).extracting(SourceProblem::source).contains("latin1.md");
    // nothing from outside the folder, nothing twice through the loop, no bad file
    assertThat(texts.keySet())
        .as(report)
        .noneMatch(source -> source.contains("secret") || source.contains("escape"))
        .noneMatch(source -> source.contains("loop/again"))
        .doesNotContain("folder/binary.md", "folder/empty.md", "folder/huge.md");
    assertThat(texts.values()).as(report).noneMatch(text -> text.contains("outside the folder"));
    // each bad file is named with its reason, skipped or failed
    Map<String, String> problems = new java.util.HashMap<>(left);
    problems.putAll(failed);
    for (String bad : List.of("binary.md", "empty.md", "huge.md")) {
      assertThat(problems.keySet()).as(report).anyMatch(source -> source.endsWith(bad));
    }
    // links are not followed: not into the loop, not out of the folder
    for (String link : List.of("loop/again", "escape.md", "up")) {
      assertThat(left.get(link)).as(report).isEqualTo("not a regular file");
    }
    assertThat(failed.get("huge.md")).as(report).contains("over the 4.0 MiB limit");
    assertThat(texts).as(report).hasSize(4);
    assertThat(topic.records()).hasSize(4);
  }

  private PublishSummary publish(Path folder, FolderPublisher.Options options) {
    try (DocumentPublisher publisher = topic.connect()) {
      return new FolderPublisher(publisher, "it")
          .publish(folder, INDEX, options, PublishProgress.NONE);
    }
  }
}
