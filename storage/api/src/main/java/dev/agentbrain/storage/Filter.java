package dev.agentbrain.storage;

import java.util.List;
import java.util.Objects;

/**
 * Which chunks a search may return. The same filter means the same thing on every backend.
 *
 * <p>A {@link Field} names either a well-known chunk attribute or a metadata key.
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

  record And(List<Filter> filters) implements Filter {
    public And {
      filters = List.copyOf(filters);
    }
  }

  record Or(List<Filter> filters) implements Filter {
    public Or {
      filters = List.copyOf(filters);
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

    /** A key of {@link ChunkRecord#metadata()}. */
    record Metadata(String key) implements Field {
      public Metadata {
        Objects.requireNonNull(key, "key");
      }
    }
  }
}
