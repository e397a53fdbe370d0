package dev.agentbrain.publish;

/**
 * What the documents topic holds for one document id: enough to decide whether a file changed,
 * whether a sync must delete it, and which folder it belongs to.
 *
 * @param id document id (the record key)
 * @param index logical index
 * @param source the source users see: {@code folder/relative/path} for a file of a folder, the
 *     given name for a document read from stdin, the relative path alone for a file published
 *     before folders had names
 * @param scope absolute folder the file was published from, or empty when unknown
 * @param folder the folder's name within the index, or empty for a document of no folder (stdin,
 *     other producers) and for files published before folders had names
 * @param contentHash SHA-256 of the published content
 * @param version the document version the event carried (0 when the record does not say)
 * @param logOffset the offset of the document's latest record in its partition of the documents
 *     topic (-1 when not known): the log order of the document's versions, since the topic is keyed
 *     by document id
 */
public record PublishedDocument(
    String id,
    String index,
    String source,
    String scope,
    String folder,
    String contentHash,
    long version,
    long logOffset) {

  /** Published from a folder before folders had names: kept under its old id until migrated. */
  public boolean beforeFolderNames() {
    return folder.isEmpty() && !scope.isEmpty();
  }

  /** The path relative to the folder ({@link #source} without the folder's name). */
  public String relativePath() {
    return folder.isEmpty() ? source : source.substring(folder.length() + 1);
  }
}
