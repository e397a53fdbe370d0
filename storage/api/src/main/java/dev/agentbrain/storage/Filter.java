package dev.agentbrain.storage;

import java.util.List;
import java.util.Objects;

/**
 * Which chunks a search may return. The same filter means the same thing on every backend.
 *
 * <p>A {@link Field} names either a well-known chunk attribute or a metadata key. Values are
 * compared as exact strings; a chunk without the metadata key never matches a filter on it.
 */
public sealed interface Filter {

  /** Every chunk. */
  Filter ALL = new All();

  record All() implements Filter {}

  /** The field equals one of the values (one value: plain equality). */
  record In(Field field, List<String> values) implements Filter {
    public In {
      Objects.requireNonNull(field, "field");
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new IllegalArgumentException("an IN filter needs at least one value");
      }
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
  }

  static Filter eq(Field field, String value) {
    return new In(field, List.of(value));
  }

  /** What a filter compares. */
  sealed interface Field {
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
