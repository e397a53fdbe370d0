package dev.agentbrain.publish;

import dev.agentbrain.hashing.ContentHash;

/**
 * Stable ids: the same index and source always give the same document id, and documents of two
 * folders of one index never share one.
 */
public final class DocumentIds {

  private DocumentIds() {}

  /**
   * The id of a document that belongs to no folder (read from stdin, or published by a program):
   * the first 32 hex digits of SHA-256 over the index name and the source, so that publishing the
   * same source twice updates it instead of duplicating it. Folders published before folder names
   * existed used this id too, with the path relative to the folder as the source.
   */
  public static String of(String index, String source) {
    return ContentHash.sha256(index + "\n" + source).substring(0, 32);
  }

  /**
   * The id of a file of a named folder: SHA-256 over the index, the folder's name and the path
   * relative to the folder. Two folders of one index holding the same relative path give two ids,
   * and no id of {@link #of} equals one of these (the input has one line more).
   */
  public static String inFolder(String index, String folder, String relativePath) {
    return ContentHash.sha256(index + "\n" + folder + "\n" + relativePath).substring(0, 32);
  }
}
