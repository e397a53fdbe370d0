package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code --watch}: changes to a folder reach the topic, debounced, against the real broker. */
class FolderWatchIT {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private DocumentTopic topic;
  private DocumentPublisher publisher;
  private FolderWatch watch;
  private Thread watching;
  private String folderName;
  private final List<PublishSummary> summaries = new CopyOnWriteArrayList<>();

  @BeforeEach
  void topic() {
    topic = new DocumentTopic();
    publisher = topic.connect();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (watch != null) {
      watch.close();
      watching.join(WAIT.toMillis());
    }
    publisher.close();
    topic.close();
  }

  @Test
  @DisplayName("created, modified, deleted and renamed files are published as they change")
  void changesArePublished(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("a.md"), "# A\n");
    start(folder);
    await().atMost(WAIT).until(() -> summaries.size() == 1);
    assertThat(summaries.get(0).published()).isEqualTo(1);

    Files.writeString(folder.resolve("b.md"), "# B\n");
    await().atMost(WAIT).until(() -> hasRecord("b.md", false));

    Files.writeString(folder.resolve("a.md"), "# A, changed\n");
    await().atMost(WAIT).until(() -> countRecords("a.md") == 2);

    Files.delete(folder.resolve("b.md"));
    await().atMost(WAIT).until(() -> hasRecord("b.md", true));

    Files.createDirectories(folder.resolve("sub"));
    Files.move(folder.resolve("a.md"), folder.resolve("sub/a.md"));
    await().atMost(WAIT).until(() -> hasRecord("a.md", true) && hasRecord("sub/a.md", false));
  }

  @Test
  @DisplayName("a burst of changes is published once, after the folder is quiet")
  void burstsAreDebounced(@TempDir Path folder) throws Exception {
    start(folder);
    await().atMost(WAIT).until(() -> summaries.size() == 1);

    for (int i = 0; i < 20; i++) {
      Files.writeString(folder.resolve("note-" + i + ".md"), "# Note " + i + "\n");
    }

    await()
        .atMost(WAIT)
        .until(() -> summaries.stream().mapToInt(PublishSummary::published).sum() == 20);
    assertThat(summaries).hasSizeLessThanOrEqualTo(3);
  }

  @Test
  @DisplayName(
      "a file written without pause is still published, at least every ten debounce intervals")
  void aFileWrittenWithoutPauseIsPublished(@TempDir Path folder) throws Exception {
    start(folder);
    await().atMost(WAIT).until(() -> summaries.size() == 1);
    Path log = folder.resolve("log.md");
    long started = System.nanoTime();
    // a line every 100 ms for 8 s: never quiet for the 300 ms debounce
    for (int line = 0; line < 80; line++) {
      Files.writeString(
          log,
          "line " + line + "\n",
          java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      Thread.sleep(100);
    }
    long writing = System.nanoTime() - started;

    assertThat(countRecords("log.md"))
        .as("versions of the file published while it was written for %d ms", writing / 1_000_000)
        .isGreaterThanOrEqualTo(2);
  }

  private void start(Path folder) {
    folderName = folder.getFileName().toString();
    FolderPublisher folders = new FolderPublisher(publisher, "watch-it");
    watch =
        new FolderWatch(
            folders,
            publisher.published(),
            folder,
            "docs",
            FolderPublisher.Options.defaults(),
            Duration.ofMillis(300));
    watching =
        new Thread(
            () -> {
              try {
                watch.run(summaries::add);
              } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
              }
            });
    watching.start();
  }

  private boolean hasRecord(String source, boolean tombstone) {
    return topic
        .records()
        .contains(
            new DocumentTopic.Entry(DocumentIds.inFolder("docs", folderName, source), tombstone));
  }

  private long countRecords(String source) {
    String id = DocumentIds.inFolder("docs", folderName, source);
    return topic.records().stream().filter(e -> e.key().equals(id)).count();
  }
}
