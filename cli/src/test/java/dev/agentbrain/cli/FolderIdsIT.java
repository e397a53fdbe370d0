package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.publish.DocumentIds;
import dev.agentbrain.publish.DocumentPublisher;
import dev.agentbrain.publish.FolderPublisher;
import dev.agentbrain.publish.PublishProgress;
import dev.agentbrain.publish.PublishSummary;
import dev.agentbrain.publish.PublishedDocuments;
import dev.agentbrain.publish.SourceScanner;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkScan;
import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.NoSuchIndexException;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.VectorQuery;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Documents of different folders of one index are different documents (issue 12), checked chunk by
 * chunk in both backends through the real indexer: two folders sharing relative paths, sync and
 * removal of one folder, and an index whose documents were published with the ids from before
 * folders had names.
 */
class FolderIdsIT {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final FolderPublisher.Options SYNC =
      new FolderPublisher.Options(SourceScanner.Options.defaults(), true, false);

  /** What a backend holds for one chunk, apart from the vector. */
  record Stored(String documentId, String source, String text) {}

  @TempDir Path state;
  @TempDir Path root;

  private IsolatedPipeline pipeline;
  private IndexerService indexer;
  private DocumentPublisher publisher;

  @BeforeEach
  void start() {
    pipeline = IsolatedPipeline.start("folderids", 2);
    indexer = pipeline.indexer(state);
    indexer.start();
    publisher = pipeline.publisher();
  }

  @AfterEach
  void stop() {
    publisher.close();
    indexer.close();
    pipeline.close();
  }

  @Test
  @DisplayName(
      "two folders sharing relative paths are kept apart; sync and removal of one leave the other")
  void foldersSharingPathsAreDifferentDocuments() throws Exception {
    Path a =
        write(root.resolve("a"), "README.md", "# Alpha\n\nThe alpha readme talks about kafka.\n");
    write(a, "only-a.md", "# Only alpha\n\nA file of folder a alone.\n");
    Path b =
        write(root.resolve("b"), "README.md", "# Beta\n\nThe beta readme talks about chroma.\n");
    write(b, "only-b.md", "# Only beta\n\nA file of folder b alone.\n");

    publish(a);
    publish(b);

    List<DocumentEvent> all =
        List.of(
            file(a, "README.md"), file(a, "only-a.md"), file(b, "README.md"), file(b, "only-b.md"));
    awaitBothHoldExactly(all);
    for (DocumentEvent readme : List.of(all.get(0), all.get(2))) {
      float[] probe = pipeline.expectedChunks(List.of(readme)).values().iterator().next().vector();
      for (Retriever backend : List.of(pipeline.postgres, pipeline.chroma)) {
        List<SearchHit> hits =
            backend.vectorSearch(pipeline.physical, new VectorQuery(probe, 1, 0, Filter.ALL));
        assertThat(hits.getFirst().chunk().source())
            .as("top hit in %s", backend.getClass().getSimpleName())
            .isEqualTo(readme.getSource());
      }
    }

    Files.delete(b.resolve("only-b.md"));
    PublishSummary syncOfB = publish(b);
    assertThat(syncOfB.deleted()).isEqualTo(1);
    awaitBothHoldExactly(all.subList(0, 3));

    PublishedDocuments manifest = publisher.published();
    PublishSummary removal =
        new FolderPublisher(publisher, "it")
            .removeFolder(manifest.folder(pipeline.index, "a").orElseThrow(), manifest);
    assertThat(removal.deleted()).isEqualTo(2);
    awaitBothHoldExactly(List.of(all.get(2)));
  }

  @Test
  @DisplayName(
      "an index published with the old ids still answers, and the next publish moves it to the new"
          + " ids")
  void oldIdsKeepWorkingAndMove() throws Exception {
    Path folder = write(root.resolve("wiki"), "guide.md", "# Guide\n\nHow to run the broker.\n");
    write(folder, "faq.md", "# FAQ\n\nWhy the log is compacted.\n");
    List<DocumentEvent> old = List.of(oldFile(folder, "faq.md"), oldFile(folder, "guide.md"));
    for (DocumentEvent event : old) {
      publisher.publish(event, folder.toString(), "").join();
    }
    awaitBothHoldExactly(old);
    assertThat(publisher.published().folders())
        .singleElement()
        .satisfies(f -> assertThat(f.path()).isEqualTo(folder.toString()));

    Files.writeString(folder.resolve("guide.md"), "# Guide\n\nHow to run the broker, edited.\n");
    PublishSummary summary = publish(folder);

    assertThat(summary.published()).isEqualTo(2);
    assertThat(summary.deleted()).isZero();
    awaitBothHoldExactly(List.of(file(folder, "faq.md"), file(folder, "guide.md")));
    assertThat(publish(folder).unchanged()).isEqualTo(2);
  }

  private PublishSummary publish(Path folder) {
    return new FolderPublisher(publisher, "it")
        .publish(folder, pipeline.index, SYNC, PublishProgress.NONE);
  }

  private static Path write(Path folder, String name, String text) throws Exception {
    Files.createDirectories(folder);
    Files.writeString(folder.resolve(name), text);
    return folder;
  }

  /** The event a file of a folder is published as, under the folder's own name. */
  private DocumentEvent file(Path folder, String name) throws Exception {
    String folderName = folder.getFileName().toString();
    return event(
        DocumentIds.inFolder(pipeline.index, folderName, name),
        folderName + "/" + name,
        Files.readString(folder.resolve(name)));
  }

  /** A file as it was published before folders had names: id and source from its path alone. */
  private DocumentEvent oldFile(Path folder, String name) throws Exception {
    return event(
        DocumentIds.of(pipeline.index, name), name, Files.readString(folder.resolve(name)));
  }

  private DocumentEvent event(String id, String source, String content) {
    return pipeline.document(id, source, content, 1);
  }

  /** Waits until each backend holds exactly the chunks of these documents: ids, sources, texts. */
  private void awaitBothHoldExactly(List<DocumentEvent> documents) {
    Map<String, Stored> expected = new TreeMap<>();
    Map<String, IsolatedPipeline.ExpectedChunk> chunks = pipeline.expectedChunks(documents);
    for (DocumentEvent document : documents) {
      chunks.forEach(
          (chunkId, chunk) -> {
            if (chunkId.startsWith(document.getId() + "#")) {
              expected.put(
                  chunkId, new Stored(document.getId(), document.getSource(), chunk.text()));
            }
          });
    }
    IsolatedPipeline.awaitBackends(WAIT)
        .untilAsserted(
            () -> {
              assertThat(stored(pipeline.postgres)).as("postgres").isEqualTo(expected);
              assertThat(stored(pipeline.chroma)).as("chroma").isEqualTo(expected);
            });
    pipeline.assertHoldsExactly(pipeline.postgres, chunks);
    pipeline.assertHoldsExactly(pipeline.chroma, chunks);
  }

  /** Every chunk the backend holds for the index, by chunk id. */
  private Map<String, Stored> stored(ChunkScan backend) {
    Map<String, Stored> stored = new TreeMap<>();
    try {
      List<String> ids = new ArrayList<>();
      String cursor = ChunkScan.DocumentPage.FIRST;
      while (cursor != null) {
        ChunkScan.DocumentPage page = backend.documents(pipeline.physical, cursor, 100);
        ids.addAll(page.documentIds());
        cursor = page.next().orElse(null);
      }
      for (ChunkRecord chunk : backend.chunksOf(pipeline.physical, ids)) {
        stored.put(chunk.chunkId(), new Stored(chunk.documentId(), chunk.source(), chunk.text()));
      }
    } catch (NoSuchIndexException e) {
      // no sink has created the index yet
    }
    return stored;
  }
}
