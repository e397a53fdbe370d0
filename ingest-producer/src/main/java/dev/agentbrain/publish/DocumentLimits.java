package dev.agentbrain.publish;

/**
 * Size limits of published documents. The documents topic accepts events up to {@link
 * #MAX_EVENT_BYTES}; a document whose text is larger than {@link #MAX_CONTENT_BYTES} is rejected
 * with a message that says so, never dropped silently.
 */
public final class DocumentLimits {

  /** Largest serialized event the producer sends and the topic accepts: 8 MiB. */
  public static final int MAX_EVENT_BYTES = 8 * 1024 * 1024;

  /** Largest extracted text of one document: 4 MiB of UTF-8 (leaves room for metadata). */
  public static final int MAX_CONTENT_BYTES = 4 * 1024 * 1024;

  private DocumentLimits() {}
}
