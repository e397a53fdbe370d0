package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.Filter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link Filter} as a Chroma {@code where} clause: a JSON structure of keys, {@code $in}, {@code
 * $and} and {@code $or}, in which every value stays a JSON string. Empty means "every record",
 * which Chroma expresses by sending no clause at all.
 *
 * <p>Chroma has no glob or regex operator on metadata, so a {@link Filter.SourceGlob} becomes "no
 * condition": the clause then selects a superset (filters have no negation, so widening a part only
 * widens the whole), and {@link ChromaStore} keeps the records that {@link Filter#matches}.
 */
final class ChromaWhere {

  private ChromaWhere() {}

  static Optional<Map<String, Object>> of(Filter filter) {
    return switch (filter) {
      case Filter.All all -> Optional.empty();
      case Filter.SourceGlob glob -> Optional.empty(); // checked on the records, see above
      case Filter.In in ->
          Optional.of(Map.of(ChunkMetadata.key(in.field()), Map.of("$in", in.values())));
      case Filter.And and -> {
        // ALL adds nothing to an AND
        List<Map<String, Object>> parts = new ArrayList<>();
        and.filters().forEach(part -> of(part).ifPresent(parts::add));
        yield combine("$and", parts);
      }
      case Filter.Or or -> {
        // ALL anywhere in an OR lets everything through
        List<Map<String, Object>> parts = new ArrayList<>();
        for (Filter part : or.filters()) {
          Optional<Map<String, Object>> where = of(part);
          if (where.isEmpty()) {
            yield Optional.empty();
          }
          parts.add(where.get());
        }
        yield combine("$or", parts);
      }
    };
  }

  /** Chroma's clauses for a document's records of a version older than {@code version}. */
  static Map<String, Object> olderVersions(String documentId, long version) {
    return versions(documentId, "$lt", version);
  }

  /** Chroma's clauses for a document's records of a version newer than {@code version}. */
  static Map<String, Object> newerVersions(String documentId, long version) {
    return versions(documentId, "$gt", version);
  }

  /** Chroma's clauses for a document's records of exactly {@code version}. */
  static Map<String, Object> version(String documentId, long version) {
    return versions(documentId, "$eq", version);
  }

  private static Map<String, Object> versions(String documentId, String operator, long version) {
    return Map.of(
        "$and",
        List.of(
            Map.of(ChunkMetadata.DOCUMENT_ID, documentId),
            Map.of(ChunkMetadata.DOCUMENT_VERSION, Map.of(operator, version))));
  }

  /** An {@code $or} of one or more clauses, or the clause itself when there is one. */
  static Map<String, Object> anyOf(List<Map<String, Object>> clauses) {
    return combine("$or", clauses).orElseThrow();
  }

  private static Optional<Map<String, Object>> combine(
      String operator, List<Map<String, Object>> parts) {
    return switch (parts.size()) {
      case 0 -> Optional.empty();
      case 1 -> Optional.of(parts.getFirst());
      default -> Optional.of(Map.of(operator, List.copyOf(parts)));
    };
  }
}
