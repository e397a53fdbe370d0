package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.chroma.ChromaClient.Include;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which version of each document Chroma's readers see, kept in a companion collection of the
 * index's ({@code <physicalName>-versions}, a name no index can have) because Chroma has no
 * transactions: one record per finished version ({@code <documentId>@<version>}) or deletion.
 *
 * <p>A writer adds a document version's marker only after every chunk of it is in the index, and
 * removes older chunks only after that. Readers show a document's chunks of its newest marker's
 * version, and nothing when that marker is a deletion. Markers are only ever added for a version
 * (older ones are pruned), so a late writer can add an older marker but never hide a newer one: the
 * newest always wins. A document with no marker at all was written before markers existed and is
 * shown as it is stored.
 */
final class VersionMarkers {

  /** What the newest marker of a document says. */
  record Marker(long version, boolean deleted) {}

  static final String SUFFIX = "-versions";
  private static final String DELETED = "deleted";
  private static final float[] NO_VECTOR = {1f}; // Chroma stores nothing without a vector
  private static final int PAGE = 10_000;
  private static final int DOCUMENTS_PER_REQUEST = 100;

  private final ChromaClient client;

  VersionMarkers(ChromaClient client) {
    this.client = client;
  }

  static String collectionName(String physicalName) {
    return physicalName + SUFFIX;
  }

  /** Creates the markers collection of an index when it has none; returns its id. */
  String ensure(String physicalName, int efSearch) {
    return client
        .getOrCreateCollection(
            collectionName(physicalName),
            Map.of("agent_brain", "document versions of " + physicalName),
            efSearch)
        .id();
  }

  /** The id of an index's markers collection; empty for an index written before markers. */
  Optional<String> find(String physicalName) {
    return client.collection(collectionName(physicalName)).map(ChromaClient.Collection::id);
  }

  void drop(String physicalName) {
    client.deleteCollection(collectionName(physicalName));
  }

  /** The newest marker of each of these documents that has one. */
  Map<String, Marker> newest(String markersId, List<String> documentIds) {
    Map<String, Marker> newest = new HashMap<>();
    for (int start = 0; start < documentIds.size(); start += DOCUMENTS_PER_REQUEST) {
      List<String> part =
          documentIds.subList(start, Math.min(documentIds.size(), start + DOCUMENTS_PER_REQUEST));
      Map<String, Object> where = Map.of(ChunkMetadata.DOCUMENT_ID, Map.of("$in", part));
      for (int offset = 0; ; offset += PAGE) {
        List<ChromaClient.Record> page =
            client.page(markersId, Optional.of(where), PAGE, offset, Set.of(Include.METADATAS));
        for (ChromaClient.Record record : page) {
          Map<String, Object> values = record.metadata();
          Marker marker =
              new Marker(
                  ((Number) values.get(ChunkMetadata.DOCUMENT_VERSION)).longValue(),
                  Boolean.TRUE.equals(values.get(DELETED)));
          newest.merge(
              (String) values.get(ChunkMetadata.DOCUMENT_ID),
              marker,
              (a, b) -> a.version() >= b.version() ? a : b);
        }
        if (page.size() < PAGE) {
          break;
        }
      }
    }
    return newest;
  }

  /**
   * Records these versions as the documents' newest (finished, or deletions), then prunes their
   * older markers.
   */
  void mark(String markersId, Map<String, Long> versions, boolean deleted) {
    if (versions.isEmpty()) {
      return;
    }
    List<ChromaClient.Record> records = new ArrayList<>();
    versions.forEach(
        (document, version) ->
            records.add(
                new ChromaClient.Record(
                    document + "@" + version,
                    NO_VECTOR,
                    "",
                    Map.of(
                        ChunkMetadata.DOCUMENT_ID,
                        document,
                        ChunkMetadata.DOCUMENT_VERSION,
                        version,
                        DELETED,
                        deleted))));
    client.upsert(markersId, records);
    List<Map<String, Object>> older = new ArrayList<>();
    versions.forEach(
        (document, version) -> older.add(ChromaWhere.olderVersions(document, version)));
    for (int start = 0; start < older.size(); start += DOCUMENTS_PER_REQUEST) {
      client.delete(
          markersId,
          ChromaWhere.anyOf(
              older.subList(start, Math.min(older.size(), start + DOCUMENTS_PER_REQUEST))));
    }
  }
}
