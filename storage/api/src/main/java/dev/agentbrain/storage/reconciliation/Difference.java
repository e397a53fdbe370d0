package dev.agentbrain.storage.reconciliation;

/**
 * How one document differs between the two sides of a reconciliation.
 *
 * @param documentId the document
 * @param kind the most serious way it differs
 * @param detail the chunk ids concerned and what differs, for a person to read
 */
public record Difference(String documentId, Kind kind, String detail) {

  /** Ways a document can differ, most serious first. */
  public enum Kind {
    /** The document has chunks on the left side and none on the right. */
    MISSING_RIGHT,
    /** The document has chunks on the right side and none on the left. */
    MISSING_LEFT,
    /** The sides hold different document versions. */
    VERSION,
    /** The sides hold different sets of chunk ids. */
    CHUNK_IDS,
    /** A chunk's text or content hash differs. */
    CONTENT,
    /** A chunk's vector differs by more than the tolerance. */
    VECTOR
  }
}
