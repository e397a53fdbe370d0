package dev.agentbrain.publish;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.DocumentOperation;
import dev.agentbrain.hashing.ContentHash;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;

/**
 * Publishes every indexable file under a folder (or one file) into a logical index. Files are read
 * in one pass and sent asynchronously; the call returns once Kafka has acknowledged all of them.
 */
public final class FolderPublisher {

  private final DocumentPublisher publisher;
  private final String producerId;

  public FolderPublisher(DocumentPublisher publisher, String producerId) {
    this.publisher = publisher;
    this.producerId = producerId;
  }

  /** What happened to each file. */
  public record Summary(int published, List<String> skipped, List<String> failed, long bytes) {}

  /** Publishes {@code root} (a folder, walked recursively, or a single file) into {@code index}. */
  public Summary publish(Path root, String index) {
    Path base = Files.isDirectory(root) ? root : root.toAbsolutePath().getParent();
    List<String> skipped = new ArrayList<>();
    List<String> failed = new ArrayList<>();
    List<CompletableFuture<?>> sends = new ArrayList<>();
    long bytes = 0;
    try (Stream<Path> files = Files.isDirectory(root) ? Files.walk(root) : Stream.of(root)) {
      for (Path file : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
        String relative =
            base.relativize(file.toAbsolutePath().normalize().toAbsolutePath()).toString();
        if (isHidden(base.relativize(file.toAbsolutePath()))) {
          continue;
        }
        Optional<FileType> type = FileType.of(file.getFileName().toString());
        if (type.isEmpty()) {
          skipped.add(relative + ": not a document or code file");
          continue;
        }
        byte[] raw = Files.readAllBytes(file);
        Optional<String> problem = rejection(raw);
        if (problem.isPresent()) {
          skipped.add(relative + ": " + problem.get());
          continue;
        }
        String text = new String(raw, StandardCharsets.UTF_8);
        bytes += raw.length;
        sends.add(publisher.publish(event(index, relative, type.get(), text)));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + root + ": " + e.getMessage(), e);
    }
    int published = 0;
    for (CompletableFuture<?> send : sends) {
      try {
        send.join();
        published++;
      } catch (RuntimeException e) {
        failed.add(e.getCause() == null ? e.getMessage() : e.getCause().getMessage());
      }
    }
    return new Summary(published, skipped, failed, bytes);
  }

  private DocumentEvent event(String index, String source, FileType type, String text) {
    Instant now = Instant.now();
    return DocumentEvent.newBuilder()
        .setId(DocumentIds.of(index, source))
        .setIndex(index)
        .setSource(source)
        .setSourceType(type.sourceType())
        .setLanguage(type.language())
        .setContentType(type.contentType())
        .setContent(text)
        .setContentHash(ContentHash.sha256(text))
        .setMetadata(Map.of())
        .setOperation(DocumentOperation.UPSERT)
        .setVersion(now.getEpochSecond() * 1_000_000 + now.getNano() / 1_000)
        .setPublishedAt(now)
        .setProducerId(producerId)
        .build();
  }

  /** Why a file is not published, or empty when it is fine. */
  static Optional<String> rejection(byte[] raw) {
    if (raw.length == 0) {
      return Optional.of("empty file");
    }
    if (raw.length > DocumentLimits.MAX_CONTENT_BYTES) {
      return Optional.of(
          "larger than the " + DocumentLimits.MAX_CONTENT_BYTES / (1024 * 1024) + " MiB limit");
    }
    for (int i = 0; i < Math.min(raw.length, 8192); i++) {
      if (raw[i] == 0) {
        return Optional.of("binary file");
      }
    }
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(raw));
    } catch (CharacterCodingException e) {
      return Optional.of("not valid UTF-8");
    }
    return Optional.empty();
  }

  private static boolean isHidden(Path relative) {
    for (Path part : relative) {
      if (part.toString().startsWith(".")) {
        return true;
      }
    }
    return false;
  }
}
