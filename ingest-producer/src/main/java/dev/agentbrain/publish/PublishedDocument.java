package dev.agentbrain.publish;

/**
 * What the documents topic holds for one document id: enough to decide whether a file changed and
 * whether a sync must delete it.
 *
 * @param id document id (the record key)
 * @param index logical index
 * @param source normalised source
 * @param scope folder the source was published from, or empty when unknown
 * @param contentHash SHA-256 of the published content
 */
public record PublishedDocument(
    String id, String index, String source, String scope, String contentHash) {}
