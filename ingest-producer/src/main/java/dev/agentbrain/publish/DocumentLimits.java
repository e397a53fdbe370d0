package dev.agentbrain.publish;

import java.time.Duration;
import java.util.Locale;

/**
 * Size limits of published documents. The documents topic accepts events up to {@link
 * #MAX_EVENT_BYTES}; a document whose text is larger than {@link #MAX_CONTENT_BYTES}, or a file
 * larger than {@link #MAX_FILE_BYTES}, is rejected with a message that says so and counted as
 * failed, never dropped silently.
 */
public final class DocumentLimits {

  /** Largest serialized event the producer sends and the topic accepts: 8 MiB. */
  public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

  /** Largest extracted text of one document: 4 MiB of UTF-8 (leaves room for metadata). */
  public static final int MAX_CONTENT_BYTES = 4 * 1024 * 1024;

  /** Largest file read at all (a PDF holds much more than its text): 64 MiB. */
  public static final long MAX_FILE_BYTES = 64L * 1024 * 1024;

  /** Most pages of a PDF whose text is extracted. */
  public static final int MAX_PDF_PAGES = 2_000;

  /** Longest extraction of one PDF's text. */
  public static final Duration MAX_PDF_TIME = Duration.ofSeconds(30);

  private DocumentLimits() {}

  /** The rejection of a file of {@code size} bytes, which is not read at all. */
  static Extraction.Rejected fileTooLarge(long size) {
    return new Extraction.Rejected(
        "the file is "
            + mib(size)
            + ", over the "
            + mib(MAX_FILE_BYTES)
            + " limit of one file — split it, or leave it out with --exclude");
  }

  /** The rejection of a document whose text is {@code utf8Bytes} long. */
  static Extraction.Rejected textTooLarge(long utf8Bytes) {
    return new Extraction.Rejected(
        "its text is "
            + mib(utf8Bytes)
            + ", over the "
            + mib(MAX_CONTENT_BYTES)
            + " limit of one document — split it into smaller files, or leave it out with"
            + " --exclude");
  }

  private static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
  }
}
