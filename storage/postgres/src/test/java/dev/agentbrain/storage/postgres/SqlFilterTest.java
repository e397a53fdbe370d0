package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class SqlFilterTest {

  @Test
  @DisplayName("ALL is a condition that is always true")
  void allIsTrue() {
    assertThat(SqlFilter.of(Filter.ALL)).isEqualTo(new SqlFilter("TRUE", List.of()));
  }

  @Test
  @DisplayName("an IN on a well-known field compares its column with a bound array")
  void inOnColumn() {
    SqlFilter filter = SqlFilter.of(new Filter.In(new Field.SourceType(), List.of("doc", "code")));

    assertThat(filter.sql()).isEqualTo("source_type = ANY(?)");
    assertThat(filter.parameters()).singleElement().isEqualTo(new String[] {"doc", "code"});
  }

  @Test
  @DisplayName("a metadata key and its values are both bound, never written into the SQL")
  void metadataKeyIsBound() {
    SqlFilter filter = SqlFilter.of(Filter.eq(new Field.Metadata("team' OR 1=1 --"), "x'--"));

    assertThat(filter.sql()).isEqualTo("(metadata ->> CAST(? AS text)) = ANY(?)");
    assertThat(filter.parameters()).containsExactly("team' OR 1=1 --", new String[] {"x'--"});
  }

  @Test
  @DisplayName("AND and OR nest in parentheses with parameters in placeholder order")
  void nestedComposites() {
    SqlFilter filter =
        SqlFilter.of(
            new Filter.And(
                List.of(
                    Filter.eq(new Field.DocumentId(), "d1"),
                    new Filter.Or(
                        List.of(
                            Filter.eq(new Field.Language(), "java"),
                            Filter.eq(new Field.Source(), "a.md"))))));

    assertThat(filter.sql())
        .isEqualTo("(document_id = ANY(?) AND (language = ANY(?) OR source = ANY(?)))");
    assertThat(filter.parameters())
        .containsExactly(new String[] {"d1"}, new String[] {"java"}, new String[] {"a.md"});
  }
}
