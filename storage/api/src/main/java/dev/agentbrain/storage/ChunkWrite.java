package dev.agentbrain.storage;

/**
 * One change to a physical index. Applying the same write twice leaves the same state.
 *
 * <p>Versions ({@link DocumentVersions}) order every write of a document: a write older than what
 * the index holds or has deleted changes nothing, because two writers may write the same index (the
 * live indexer and a reindex or migration, or a sink evicted from its group that is still
 * mid-write).
 */
public sealed interface ChunkWrite {

  /** The document the write is about. */
  String documentId();

  /**
   * Stores a chunk of one version of a document. Readers keep seeing the version the index held
   * before until every chunk of this one is written ({@code chunkCount} of them); then they see
   * only this one, and the chunks of older versions are removed. When the index already holds a
   * newer version of the document, or deleted it at a newer version, the write changes nothing.
   *
   * @param chunkCount how many chunks the chunk's version has, at least 1; 0 when not known (the
   *     chunk is then taken to complete its version: what was written before counts were carried)
   */
  record Upsert(ChunkRecord chunk, int chunkCount) implements ChunkWrite {

    public Upsert {
      if (chunkCount < 0 || chunkCount > 0 && chunk.position() >= chunkCount) {
        throw new IllegalArgumentException(
            "chunk %s is at position %d of a version of %d chunks"
                .formatted(chunk.chunkId(), chunk.position(), chunkCount));
      }
    }

    /** A chunk that is its version's last, or whose version's chunk count is not known. */
    public Upsert(ChunkRecord chunk) {
      this(chunk, 0);
    }

    @Override
    public String documentId() {
      return chunk.documentId();
    }
  }

  /**
   * Removes every chunk of the document older than {@code version} (the version of the delete
   * itself, taken from the log like every other), and keeps that version as the document's, so that
   * a late write of an older version cannot bring it back. A late delete removes nothing newer than
   * itself.
   */
  record DeleteDocument(String documentId, long version) implements ChunkWrite {}
}
