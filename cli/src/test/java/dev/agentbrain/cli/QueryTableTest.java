package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class QueryTableTest {

  private static JsonNode answer(String json) throws Exception {
    return new ObjectMapper().readTree(json.replace('\'', '"'));
  }

  @Test
  @DisplayName("a hybrid answer prints one row per hit with both scores, ranked from the offset")
  void rowsWithBothScores() throws Exception {
    String table =
        QueryTable.render(
            answer(
                "{'results': [{'text': 'Consumer  groups\\nshare partitions', 'source': 'docs/k.md',"
                    + " 'score': 0.81, 'vector_score': 0.9, 'bm25_score': null, 'source_type': 'doc',"
                    + " 'language': 'markdown'}], 'total_results': 1, 'backend': 'postgres', 'mode':"
                    + " 'hybrid', 'index_version': 2, 'query_time_ms': 12.5, 'offset': 10,"
                    + " 'next_offset': 11}"));

    assertThat(table)
        .contains("1 results from postgres, hybrid mode (index version 2) in 12.5 ms")
        .contains("  11  0.810  0.900   -      docs/k.md")
        .contains("doc/markdown")
        .contains("Consumer groups share partitions")
        .contains("more: --offset 11");
  }

  @Test
  @DisplayName("--explain names only the rankings the mode asked for, and both for a fusion")
  void explainFollowsTheMode() throws Exception {
    String vector = explained("vector", "{'rank': 1, 'score': 0.8}", "null", 3);
    String rrf = explained("rrf", "{'rank': 2, 'score': 0.8}", "null", 50);

    assertThat(vector).contains("vector rank #1 of 3 candidates").doesNotContain("bm25 rank");
    assertThat(rrf).contains("vector rank #2, bm25 rank - (of 50 candidates each)");
  }

  /** The table of a one-hit answer whose hit carries this explanation. */
  private static String explained(String mode, String vector, String bm25, int candidates)
      throws Exception {
    return QueryTable.render(
        answer(
            ("{'mode': '%s', 'results': [{'text': 't', 'source': 's.md', 'score': 0.8,"
                    + " 'source_type': 'doc', 'language': 'markdown', 'explain': {'mode': '%s',"
                    + " 'vector': %s, 'bm25': %s, 'candidates': %d}}]}")
                .formatted(mode, mode, vector, bm25, candidates)));
  }

  @Test
  @DisplayName("a long source keeps its end and long text its start")
  void longValuesAreCut() {
    assertThat(QueryTable.fit("a/very/long/path/to/file.md", 12, true)).isEqualTo("…/to/file.md");
    assertThat(QueryTable.fit("the beginning matters most", 10, false)).isEqualTo("the begin…");
  }
}
