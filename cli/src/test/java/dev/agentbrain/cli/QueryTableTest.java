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
  @DisplayName("a long source keeps its end and long text its start")
  void longValuesAreCut() {
    assertThat(QueryTable.fit("a/very/long/path/to/file.md", 12, true)).isEqualTo("…/to/file.md");
    assertThat(QueryTable.fit("the beginning matters most", 10, false)).isEqualTo("the begin…");
  }
}
