package dev.agentbrain.storage;

/** One change to a physical index. Applying the same write twice leaves the same state. */
public sealed interface ChunkWrite {

  /** The document the write is about. */
  String documentId();

  /**
   * Stores a chunk and removes every chunk of the same document that has a different document
   * version, so an updated document never keeps a stale chunk, even when it now has fewer. When the
   * index already holds a newer version of the document, the write changes nothing: two indexer
   * applications (the live one and a reindex) may write the same index, and a late write of an
   * older version must not replace a newer one.
   */
  record Upsert(ChunkRecord chunk) implements ChunkWrite {
    @Override
    public String documentId() {
      return chunk.documentId();
    }
  }

  /** Removes every chunk of the document. */
  record DeleteDocument(String documentId) implements ChunkWrite {}
}
