package dev.agentbrain.storage;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Which chunks a search may return. The same filter means the same thing on every backend.
 *
 * <p>A {@link Field} names either a well-known chunk attribute or a metadata key. Values are
 * compared as exact strings; a chunk without the metadata key never matches a filter on it. {@link
 * #matches} is the reference meaning that every backend's translation must agree with.
 */
public sealed interface Filter {

  /** Every chunk. */
  Filter ALL = new All();

  /** Whether the chunk passes the filter, evaluated in memory. */
  boolean matches(ChunkRecord chunk);

  record All() implements Filter {
    @Override
    public boolean matches(ChunkRecord chunk) {
      return true;
    }
  }

  /** The chunk's {@code source} matches a path glob (see {@link PathGlob}). */
  record SourceGlob(PathGlob glob) implements Filter {
    public SourceGlob {
      Objects.requireNonNull(glob, "glob");
    }

    @Override
    public boolean matches(ChunkRecord chunk) {
      return glob.matches(chunk.source());
    }
  }

  /** The field equals one of the values (one value: plain equality). */
  record In(Field field, List<String> values) implements Filter {
    public In {
      Objects.requireNonNull(field, "field");
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("an IN filter needs at least one value");
      }
    }

    @Override
    public boolean matches(ChunkRecord chunk) {
      return field.valueOf(chunk).map(values::contains).orElse(false);
    }
  }

  /** Every filter matches. Needs at least one, because backends disagree on an empty list. */
  record And(List<Filter> filters) implements Filter {
    public And {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("an AND filter needs at least one filter");
      }
    }

    @Override
    public boolean matches(ChunkRecord chunk) {
      return filters.stream().allMatch(filter -> filter.matches(chunk));
    }
  }

  /**
   * At least one filter matches. Needs at least one, because backends disagree on an empty list.
   */
  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = List.copyOf(filters);
      if (filters.isEmpty()) {
        throw new IllegalArgumentException("an OR filter needs at least one filter");
      }
    }

    @Override
    public boolean matches(ChunkRecord chunk) {
      return filters.stream().anyMatch(filter -> filter.matches(chunk));
    }
  }

  /** Whether the filter, or a part of it, is a {@link SourceGlob}. */
  default boolean hasGlob() {
    return switch (this) {
      case SourceGlob glob -> true;
      case And and -> and.filters().stream().anyMatch(Filter::hasGlob);
      case Or or -> or.filters().stream().anyMatch(Filter::hasGlob);
      case All all -> false;
      case In in -> false;
    };
  }

  static Filter eq(Field field, String value) {
    return new In(field, List.of(value));
  }

  /** What a filter compares. */
  sealed interface Field {

    /** The chunk's value of the field; empty for a metadata key the chunk does not have. */
    default Optional<String> valueOf(ChunkRecord chunk) {
      return switch (this) {
        case DocumentId id -> Optional.of(chunk.documentId());
        case Source source -> Optional.of(chunk.source());
        case SourceType type -> Optional.of(chunk.sourceType());
        case Language language -> Optional.of(chunk.language());
        case Metadata(String key) -> Optional.ofNullable(chunk.metadata().get(key));
      };
    }

    record DocumentId() implements Field {}

    record Source() implements Field {}

    record SourceType() implements Field {}

    record Language() implements Field {}

    /**
     * A key of {@link ChunkRecord#metadata()}. Metadata keys live apart from the well-known fields:
     * {@code new Metadata("source")} never matches {@link Source}.
     */
    record Metadata(String key) implements Field {
      public Metadata {
        Objects.requireNonNull(key, "key");
        if (key.isEmpty()) {
          throw new IllegalArgumentException("a metadata key must not be empty");
        }
      }
    }
  }
}
