package dev.agentbrain.storage;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reads a whole physical index a page at a time, for comparing two backends (or two physical
 * indexes) document by document without holding either in memory. Implementations are thread-safe.
 *
 * <p>Every method throws {@link NoSuchIndexException} when the physical index does not exist and
 * {@link StorageUnavailableException} when the backend cannot be reached.
 */
public interface ChunkScan {

  /**
   * One page of the ids of documents that have at least one chunk. Start with {@link
   * DocumentPage#FIRST}; follow {@link DocumentPage#next()} until it is empty. Under concurrent
   * writes a document may be listed twice or (when rewritten while the scan passes it) not at all;
   * a caller that must see every document re-checks what changed while it scanned.
   *
   * @param cursor {@link DocumentPage#FIRST} or the {@code next} of the previous page (opaque)
   * @param limit page size, at least 1: documents or chunks, whichever the backend pages by (a page
   *     never holds more than {@code limit} document ids)
   */
  DocumentPage documents(String physicalName, String cursor, int limit);

  /**
   * Every chunk of these documents, embeddings included, in no particular order. A document with no
   * chunk in the index contributes nothing.
   */
  List<ChunkRecord> chunksOf(String physicalName, Collection<String> documentIds);

  /**
   * A page of document ids.
   *
   * @param documentIds distinct within the page
   * @param next the cursor of the following page; empty when this was the last
   */
  record DocumentPage(List<String> documentIds, Optional<String> next) {
    /** The cursor of the first page. */
    public static final String FIRST = "";

    public DocumentPage {
      documentIds = List.copyOf(documentIds);
    }
  }
}
