package dev.agentbrain.publish;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Keeps publishing a folder as its files are created, modified, deleted or renamed. Changes are
 * debounced: after the first change the watch waits until the folder has been quiet for the
 * debounce interval (but no longer than {@value #MAX_DELAY_DEBOUNCES} intervals, so a file that is
 * written without pause is published at that pace), then publishes the folder once, with sync (a
 * deleted or renamed file's old document gets a tombstone). Unchanged files are not read again (see
 * {@link FolderPublisher}), so a change costs one walk of the folder plus the changed files.
 *
 * <p>{@link #run(Consumer)} blocks until {@link #close()} is called from another thread (e.g. a
 * shutdown hook); a publish under way when that happens completes first.
 */
public final class FolderWatch implements AutoCloseable {

  /** A publish follows a change after at most this many debounce intervals, quiet or not. */
  static final int MAX_DELAY_DEBOUNCES = 10;

  private final FolderPublisher publisher;
  private final PublishedDocuments manifest;
  private final Path root;
  private final String index;
  private final FolderPublisher.Options options;
  private final Duration debounce;
  private final WatchService watcher;

  /**
   * @param publisher publishes the folder
   * @param manifest what the topic holds now ({@link DocumentPublisher#published()}); kept current
   * @param root the folder to watch
   * @param index logical index
   * @param options which files, dry run or not; sync is always on
   * @param debounce quiet time after a change before publishing
   */
  public FolderWatch(
      FolderPublisher publisher,
      PublishedDocuments manifest,
      Path root,
      String index,
      FolderPublisher.Options options,
      Duration debounce) {
    if (!Files.isDirectory(root)) {
      throw new IllegalArgumentException("--watch needs a folder, and " + root + " is not one");
    }
    this.publisher = publisher;
    this.manifest = manifest;
    this.root = root.toAbsolutePath().normalize();
    this.index = index;
    this.options = new FolderPublisher.Options(options.scan(), true, options.dryRun());
    this.debounce = debounce;
    try {
      this.watcher = root.getFileSystem().newWatchService();
      registerTree(this.root);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot watch " + root + ": " + e.getMessage(), e);
    }
  }

  /**
   * Publishes the folder once now, then after every debounced batch of changes, handing each
   * summary to {@code onPublish}; returns when the watch is closed.
   */
  public void run(Consumer<PublishSummary> onPublish) throws InterruptedException {
    onPublish.accept(publishNow());
    try {
      while (true) {
        WatchKey first = watcher.take();
        handle(first);
        // debounce: collect changes until the folder is quiet, or for at most maxDelay, so that a
        // file written without pause (a log) is still published every maxDelay
        long deadline = System.nanoTime() + maxDelay().toNanos();
        for (long left = nextWait(deadline); left > 0; left = nextWait(deadline)) {
          WatchKey next = watcher.poll(left, TimeUnit.NANOSECONDS);
          if (next == null) {
            break;
          }
          handle(next);
        }
        onPublish.accept(publishNow());
      }
    } catch (ClosedWatchServiceException e) {
      // closed: the watch ends
    }
  }

  /**
   * Longest wait between a change and the publish that takes it: {@value #MAX_DELAY_DEBOUNCES}
   * debounce intervals.
   */
  Duration maxDelay() {
    return debounce.multipliedBy(MAX_DELAY_DEBOUNCES);
  }

  /** How long to wait for the next change: a debounce interval, but not past {@code deadline}. */
  private long nextWait(long deadline) {
    return Math.min(debounce.toNanos(), deadline - System.nanoTime());
  }

  private PublishSummary publishNow() {
    return publisher.publish(root, index, options, PublishProgress.NONE, manifest);
  }

  private void handle(WatchKey key) {
    Path folder = (Path) key.watchable();
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == ENTRY_CREATE && event.context() instanceof Path name) {
        Path created = folder.resolve(name);
        if (Files.isDirectory(created) && !name.toString().startsWith(".")) {
          try {
            registerTree(created);
          } catch (IOException e) {
            // the folder vanished again or is unreadable: the next publish reports it
          }
        }
      }
    }
    key.reset();
  }

  private void registerTree(Path start) throws IOException {
    Files.walkFileTree(
        start,
        new SimpleFileVisitor<>() {
          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            if (!dir.equals(start) && dir.getFileName().toString().startsWith(".")) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            dir.register(watcher, ENTRY_CREATE, ENTRY_DELETE, ENTRY_MODIFY);
            return FileVisitResult.CONTINUE;
          }
        });
  }

  /** Stops the watch; {@link #run(Consumer)} returns after the publish under way, if any. */
  @Override
  public void close() {
    try {
      watcher.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
