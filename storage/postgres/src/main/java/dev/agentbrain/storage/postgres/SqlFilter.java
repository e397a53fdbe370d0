package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import dev.agentbrain.storage.PathGlob;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.StringJoiner;

/**
 * A {@link Filter} as a SQL condition. The condition holds only fixed column names, operators and
 * {@code ?} placeholders; every value and metadata key is a bound parameter.
 *
 * @param sql the condition, to follow {@code WHERE}
 * @param parameters in placeholder order: a {@code String} or a {@code String[]} (bound as {@code
 *     text[]})
 */
record SqlFilter(String sql, List<Object> parameters) {

  SqlFilter {
    parameters = List.copyOf(parameters);
  }

  static SqlFilter of(Filter filter) {
    List<Object> parameters = new ArrayList<>();
    String sql = condition(filter, parameters);
    return new SqlFilter(sql, parameters);
  }

  /** Whether the filter lets every chunk through ({@link Filter.All}). */
  boolean passesAll() {
    return sql.equals("TRUE");
  }

  /** Binds the parameters starting at placeholder {@code first}; returns the next free index. */
  int bind(Connection connection, PreparedStatement statement, int first) throws SQLException {
    int index = first;
    for (Object parameter : parameters) {
      if (parameter instanceof String[] values) {
        statement.setArray(index++, connection.createArrayOf("text", values));
      } else {
        statement.setString(index++, (String) parameter);
      }
    }
    return index;
  }

  private static String condition(Filter filter, List<Object> parameters) {
    return switch (filter) {
      case Filter.All all -> "TRUE";
      case Filter.SourceGlob(PathGlob glob) -> {
        // anchored here, so the bound pattern needs no anchors of its own
        parameters.add("^(?:" + glob.regex() + ")$");
        yield "source ~ CAST(? AS text)";
      }
      case Filter.In in -> {
        String[] values = in.values().toArray(String[]::new);
        if (in.field() instanceof Field.Metadata(String key)) {
          parameters.add(key);
          parameters.add(values);
          yield "(metadata ->> CAST(? AS text)) = ANY(?)";
        }
        parameters.add(values);
        yield column(in.field()) + " = ANY(?)";
      }
      case Filter.And and -> join(and.filters(), " AND ", parameters);
      case Filter.Or or -> join(or.filters(), " OR ", parameters);
    };
  }

  private static String join(List<Filter> filters, String operator, List<Object> parameters) {
    StringJoiner conditions = new StringJoiner(operator, "(", ")");
    for (Filter filter : filters) {
      conditions.add(condition(filter, parameters)); // in order: placeholders follow parameters
    }
    return conditions.toString();
  }

  private static String column(Field field) {
    return switch (field) {
      case Field.DocumentId id -> "document_id";
      case Field.Source source -> "source";
      case Field.SourceType type -> "source_type";
      case Field.Language language -> "language";
      case Field.Metadata metadata ->
          throw new IllegalArgumentException("metadata keys are not columns");
    };
  }
}
