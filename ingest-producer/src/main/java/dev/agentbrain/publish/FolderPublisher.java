package dev.agentbrain.publish;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.DocumentOperation;
import dev.agentbrain.hashing.ContentHash;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Publishes the files of a folder (or one file, or text from a stream) into a logical index,
 * sending only what changed.
 *
 * <p>Change detection compares each file's content hash with the manifest that {@link
 * DocumentPublisher#published()} reads from the documents topic: a file whose text is unchanged is
 * not sent again. With {@code sync}, every document of the folder whose file is gone (deleted,
 * renamed, now ignored, binary or empty) gets a tombstone; a renamed file is therefore a delete
 * plus a new document. A file that failed this time (unreadable, too large) keeps its published
 * version.
 *
 * <p>Every folder of an index has a name (the folder's own name unless {@link Options#folderName}
 * gives one): a file's document id is made of the index, the folder's name and its path relative to
 * the folder ({@link DocumentIds#inFolder}), and the source users see is {@code
 * name/relative/path}, so two folders holding the same relative path are two documents. One name
 * stands for one absolute folder per index: publishing another folder under a name the index
 * already holds, or a folder under a second name, is refused with {@link FolderConflictException}.
 * Files published before folders had names (id from the relative path alone) are moved to their new
 * id by the next publish of their folder: the new document is sent, the old one tombstoned.
 *
 * <p>Files are read one after another and sent asynchronously; a call returns once Kafka has
 * acknowledged every event. Within one instance, a file whose size and modification time are those
 * it had when this instance last read it, and whose hash the topic still holds, is not read again:
 * a long-running caller (a folder watch) pays only for what changed. Not thread-safe: one publish
 * at a time.
 */
public final class FolderPublisher {

  /**
   * How to publish.
   *
   * @param scan which files to take
   * @param sync send tombstones for documents whose files disappeared from the folder
   * @param dryRun work out what would be sent, send nothing
   * @param folderName the folder's name within the index; empty for the folder's own name
   */
  public record Options(
      SourceScanner.Options scan, boolean sync, boolean dryRun, String folderName) {
    public Options {
      if (!folderName.isEmpty()) {
        FolderNames.requireValid(folderName);
      }
    }

    /** Under the folder's own name. */
    public Options(SourceScanner.Options scan, boolean sync, boolean dryRun) {
      this(scan, sync, dryRun, "");
    }

    /** Every text file, no sync, for real, under the folder's own name. */
    public static Options defaults() {
      return new Options(SourceScanner.Options.defaults(), false, false);
    }
  }

  /** What an event sent does to the summary's counts. */
  private enum Sent {
    PUBLISHED,
    DELETED,
    // the tombstone of a document's id from before folders had names, replaced by its new id
    MOVED
  }

  private record Pending(
      String source,
      Sent sent,
      CompletableFuture<RecordMetadata> ack,
      Consumer<RecordMetadata> onSuccess) {}

  /** A file as it was when last read, and the hash of its text. */
  private record Stamp(long size, FileTime lastModified, String contentHash) {}

  private static final AtomicLong LAST_VERSION = new AtomicLong();

  private final Map<Path, Stamp> stamps = new HashMap<>();

  private final DocumentPublisher publisher;
  private final String producerId;

  /**
   * @param publisher where events go
   * @param producerId who publishes, carried on every event (e.g. {@code agent-brain-cli@host})
   */
  public FolderPublisher(DocumentPublisher publisher, String producerId) {
    this.publisher = publisher;
    this.producerId = producerId;
  }

  /** Publishes every text file under {@code root} (or the file {@code root}) into {@code index}. */
  public PublishSummary publish(Path root, String index) {
    return publish(root, index, Options.defaults(), PublishProgress.NONE);
  }

  /** Publishes {@code root} (a folder, walked recursively, or one file) into {@code index}. */
  public PublishSummary publish(
      Path root, String index, Options options, PublishProgress progress) {
    return publish(root, index, options, progress, publisher.published());
  }

  /**
   * Publishes {@code root} against a manifest the caller holds (and that this call keeps current),
   * so that a long-running caller such as a folder watch reads the topic only once.
   */
  public PublishSummary publish(
      Path root,
      String index,
      Options options,
      PublishProgress progress,
      PublishedDocuments manifest) {
    SourceScanner.Scan scan = SourceScanner.scan(root, options.scan());
    String scope = scan.scope().toString();
    String folder =
        options.folderName().isEmpty() ? FolderNames.of(scan.scope()) : options.folderName();
    FolderNames.requireFree(manifest, index, folder, scope);
    Batch batch = new Batch(index, scope, folder, options.dryRun(), manifest);
    batch.failed.addAll(scan.failed());
    batch.skipped.addAll(scan.skipped());
    progress.started(scan.files().size(), scan.bytes());
    for (SourceScanner.SourceFile file : scan.files()) {
      if (progress.stopRequested()) {
        return batch.finish();
      }
      String id = batch.id(file.source());
      if (unchangedSinceRead(file, id, scope, manifest)) {
        batch.kept.add(id);
        batch.unchanged++;
      } else if (file.size() > DocumentLimits.MAX_FILE_BYTES) {
        batch.kept.add(id);
        batch.failed.add(
            new SourceProblem(file.source(), DocumentLimits.fileTooLarge(file.size()).reason()));
      } else {
        try {
          byte[] raw = read(file.path());
          batch.bytesRead += raw.length;
          if (raw.length > DocumentLimits.MAX_FILE_BYTES) { // grew since the scan
            batch.kept.add(id);
            batch.failed.add(
                new SourceProblem(file.source(), DocumentLimits.fileTooLarge(raw.length).reason()));
          } else {
            batch
                .offer(file.source(), raw, file.type())
                .ifPresent(
                    hash ->
                        stamps.put(file.path(), new Stamp(file.size(), file.lastModified(), hash)));
          }
        } catch (IOException e) {
          batch.kept.add(id);
          batch.failed.add(new SourceProblem(file.source(), unreadable(file.path(), e)));
        }
      }
      progress.advanced(1, file.size());
    }
    if (options.sync() && Files.isDirectory(root)) {
      for (PublishedDocument gone : manifest.inFolder(index, folder)) {
        if (!batch.kept.contains(gone.id())) {
          batch.delete(gone, true);
        }
      }
    }
    for (PublishedDocument old : manifest.beforeFolderNames(index, scope)) {
      String now = batch.id(old.source());
      if (batch.current.contains(now)) {
        // moved to its id under the folder's name: the old id goes, uncounted
        batch.delete(old, false);
      } else if (options.sync() && Files.isDirectory(root) && !batch.kept.contains(now)) {
        batch.delete(old, true);
      }
    }
    return batch.finish();
  }

  /**
   * The bytes of a file found by the scan, read without following a symbolic link put in its place
   * since (the scan takes no links), and at most one byte past {@link
   * DocumentLimits#MAX_FILE_BYTES} of a file that grew since.
   */
  static byte[] read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
      return in.readNBytes(Math.toIntExact(DocumentLimits.MAX_FILE_BYTES + 1));
    }
  }

  private static String unreadable(Path file, IOException e) {
    return Files.isSymbolicLink(file)
        ? "it was replaced by a symbolic link while the folder was read, and links are not"
            + " followed — publish the folder the link points to instead"
        : "cannot be read: " + e.getMessage();
  }

  /**
   * Publishes one document given as bytes (e.g. read from stdin) under the source name {@code
   * source}: extracted, checked and hashed like a file, and not sent when the topic already holds
   * the same text for it.
   */
  public PublishSummary publishContent(
      String index, String source, byte[] raw, FileType type, boolean dryRun) {
    return content(new Batch(index, "", "", dryRun, publisher.published()), source, raw, type);
  }

  /**
   * Publishes one document given as bytes against a manifest the caller holds (and that this call
   * keeps current), so that many documents cost one read of the topic.
   */
  public PublishSummary publishContent(
      String index, String source, byte[] raw, FileType type, PublishedDocuments manifest) {
    return content(new Batch(index, "", "", false, manifest), source, raw, type);
  }

  private PublishSummary content(Batch batch, String source, byte[] raw, FileType type) {
    batch.bytesRead = raw.length;
    batch.offer(source, raw, type);
    return batch.finish();
  }

  /**
   * Tombstones every document of a folder, read from {@code manifest} (which this call keeps
   * current); the other folders of the index are left as they are. Returns how many tombstones
   * Kafka acknowledged ({@link PublishSummary#deleted()}) and the documents it did not accept.
   */
  public PublishSummary removeFolder(PublishedFolder folder, PublishedDocuments manifest) {
    Batch batch = new Batch(folder.index(), folder.path(), folder.name(), false, manifest);
    manifest.documentsOf(folder).forEach(document -> batch.delete(document, true));
    return batch.finish();
  }

  private boolean unchangedSinceRead(
      SourceScanner.SourceFile file, String id, String scope, PublishedDocuments manifest) {
    Stamp stamp = stamps.get(file.path());
    if (stamp == null
        || stamp.size() != file.size()
        || !stamp.lastModified().equals(file.lastModified())) {
      return false;
    }
    return manifest
        .get(id)
        .filter(d -> d.contentHash().equals(stamp.contentHash()) && d.scope().equals(scope))
        .isPresent();
  }

  /** The events of one publish call, and what became of them. */
  private final class Batch {
    private final String index;
    private final String scope;
    private final String folder;
    private final boolean dryRun;
    private final PublishedDocuments manifest;
    private final Set<String> kept = new HashSet<>();
    // ids whose text is now on the topic (sent or unchanged)
    private final Set<String> current = new HashSet<>();
    private final List<SourceProblem> skipped = new ArrayList<>();
    private final List<SourceProblem> failed = new ArrayList<>();
    private final List<SourceProblem> warnings = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private int unchanged;
    private int published;
    private int deleted;
    private long bytesRead;

    Batch(String index, String scope, String folder, boolean dryRun, PublishedDocuments manifest) {
      this.index = index;
      this.scope = scope;
      this.folder = folder;
      this.dryRun = dryRun;
      this.manifest = manifest;
    }

    /** The id of a source: a path relative to the folder, or a name when there is no folder. */
    String id(String source) {
      return folder.isEmpty()
          ? DocumentIds.of(index, source)
          : DocumentIds.inFolder(index, folder, source);
    }

    /** The source users see: prefixed by the folder's name, when there is one. */
    private String shown(String source) {
      return folder.isEmpty() ? source : folder + "/" + source;
    }

    /** Publishes the text of a source unless the topic holds it; returns the text's hash. */
    Optional<String> offer(String source, byte[] raw, FileType type) {
      String id = id(source);
      switch (TextExtractor.extract(raw, type)) {
        case Extraction.Skipped s -> {
          // the file still exists (it may be empty only while an editor rewrites it): sync keeps
          // what the topic holds of it
          kept.add(id);
          skipped.add(new SourceProblem(source, s.reason()));
          return Optional.empty();
        }
        case Extraction.Rejected r -> {
          kept.add(id);
          failed.add(new SourceProblem(source, r.reason()));
          return Optional.empty();
        }
        case Extraction.Text text -> {
          kept.add(id);
          current.add(id);
          text.warnings().forEach(w -> warnings.add(new SourceProblem(source, w)));
          String hash = ContentHash.sha256(text.text());
          Optional<PublishedDocument> before = manifest.get(id);
          if (before.isPresent()
              && before.get().contentHash().equals(hash)
              && before.get().scope().equals(scope)) {
            unchanged++;
            return Optional.of(hash);
          }
          published++;
          if (!dryRun) {
            DocumentEvent event = event(id, shown(source), type, text, hash);
            send(
                source,
                Sent.PUBLISHED,
                () -> publisher.publish(event, scope, folder),
                ack ->
                    manifest.published(
                        new PublishedDocument(
                            id,
                            index,
                            shown(source),
                            scope,
                            folder,
                            hash,
                            event.getVersion(),
                            ack.offset())));
          }
          return Optional.of(hash);
        }
      }
    }

    /** Tombstones a document; {@code counted} when its file is gone (not when it moved). */
    void delete(PublishedDocument gone, boolean counted) {
      if (counted) {
        deleted++;
      }
      if (!dryRun) {
        send(
            gone.source(),
            counted ? Sent.DELETED : Sent.MOVED,
            () -> publisher.delete(gone),
            ack -> manifest.deleted(gone.id()));
      }
    }

    private void send(
        String source,
        Sent sent,
        Supplier<CompletableFuture<RecordMetadata>> send,
        Consumer<RecordMetadata> onAck) {
      CompletableFuture<RecordMetadata> ack;
      try {
        ack = send.get();
      } catch (RuntimeException e) {
        // the producer refuses before sending, e.g. the registry cannot register the schema
        ack = CompletableFuture.failedFuture(e);
      }
      pending.add(new Pending(source, sent, ack, onAck));
    }

    PublishSummary finish() {
      for (Pending p : pending) {
        try {
          p.onSuccess().accept(p.ack().join());
        } catch (CompletionException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          failed.add(new SourceProblem(p.source(), "not accepted by Kafka: " + cause.getMessage()));
          switch (p.sent()) {
            case PUBLISHED -> published--;
            case DELETED -> deleted--;
            case MOVED -> {}
          }
        }
      }
      return new PublishSummary(
          published, unchanged, deleted, skipped, failed, warnings, bytesRead, dryRun);
    }

    private DocumentEvent event(
        String id, String source, FileType type, Extraction.Text text, String hash) {
      Instant now = Instant.now();
      return DocumentEvent.newBuilder()
          .setId(id)
          .setIndex(index)
          .setSource(source)
          .setSourceType(type.sourceType())
          .setLanguage(type.language())
          .setContentType(type.contentType())
          .setContent(text.text())
          .setContentHash(hash)
          .setMetadata(text.metadata())
          .setOperation(DocumentOperation.UPSERT)
          .setVersion(nextVersion(now))
          .setPublishedAt(now)
          .setProducerId(producerId)
          .build();
    }
  }

  /**
   * The publish time in microseconds, made strictly increasing within this process so that two
   * changes of one document in the same microsecond still order.
   */
  private static long nextVersion(Instant now) {
    long micros = now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000;
    return LAST_VERSION.accumulateAndGet(micros, (last, next) -> Math.max(last + 1, next));
  }
}
