package dev.agentbrain.storage.chroma;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.Filter.Field;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChromaWhereTest {

  @Test
  @DisplayName("ALL sends no where clause")
  void allIsNoClause() {
    assertThat(ChromaWhere.of(Filter.ALL)).isEmpty();
  }

  @Test
  @DisplayName("an IN becomes $in on the field's key, metadata keys prefixed")
  void inOnFieldAndMetadata() {
    assertThat(ChromaWhere.of(new Filter.In(new Field.SourceType(), List.of("doc", "code"))))
        .contains(Map.of("source_type", Map.of("$in", List.of("doc", "code"))));
    assertThat(ChromaWhere.of(Filter.eq(new Field.Metadata("$and"), "x")))
        .contains(Map.of("m.$and", Map.of("$in", List.of("x"))));
  }

  @Test
  @DisplayName("AND drops ALL; one remaining part stands alone")
  void andDropsAll() {
    Filter language = Filter.eq(new Field.Language(), "java");

    assertThat(ChromaWhere.of(new Filter.And(List.of(Filter.ALL, language))))
        .isEqualTo(ChromaWhere.of(language));
    assertThat(ChromaWhere.of(new Filter.And(List.of(Filter.ALL)))).isEmpty();
  }

  @Test
  @DisplayName("OR with ALL in it lets everything through")
  void orWithAllIsEverything() {
    assertThat(
            ChromaWhere.of(
                new Filter.Or(List.of(Filter.eq(new Field.Language(), "java"), Filter.ALL))))
        .isEmpty();
  }

  @Test
  @DisplayName("nested AND and OR keep their structure")
  void nested() {
    Filter filter =
        new Filter.Or(
            List.of(
                Filter.eq(new Field.DocumentId(), "d1"),
                new Filter.And(
                    List.of(
                        Filter.eq(new Field.Source(), "a.md"),
                        Filter.eq(new Field.Metadata("team"), "x")))));

    assertThat(ChromaWhere.of(filter))
        .contains(
            Map.of(
                "$or",
                List.of(
                    Map.of("document_id", Map.of("$in", List.of("d1"))),
                    Map.of(
                        "$and",
                        List.of(
                            Map.of("source", Map.of("$in", List.of("a.md"))),
                            Map.of("m.team", Map.of("$in", List.of("x"))))))));
  }

  @Test
  @DisplayName("older versions of a document compare the version as a number")
  void olderVersions() {
    assertThat(ChromaWhere.olderVersions("d1", 3))
        .isEqualTo(
            Map.of(
                "$and",
                List.of(
                    Map.of("document_id", "d1"), Map.of("document_version", Map.of("$lt", 3L)))));
  }
}
