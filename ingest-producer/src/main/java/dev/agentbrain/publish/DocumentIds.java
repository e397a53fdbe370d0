package dev.agentbrain.publish;

import dev.agentbrain.hashing.ContentHash;

/** Stable ids and hashes: the same index and source always give the same document id. */
public final class DocumentIds {

  private DocumentIds() {}

  /**
   * The id of a document: the first 32 hex digits of SHA-256 over the index name and the normalised
   * source, so that publishing the same file twice updates it instead of duplicating it.
   */
  public static String of(String index, String normalizedSource) {
    return ContentHash.sha256(index + "\n" + normalizedSource).substring(0, 32);
  }
}
