package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import dev.agentbrain.storage.IndexSpec;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ChunkTableTest {

  @Test
  @DisplayName("up to 2,000 dimensions the embedding is a vector with a cosine HNSW index")
  void vectorUpTo2000() {
    ChunkTable table = new ChunkTable(new IndexSpec("docs_v1", 2000, "bge", "english"));

    assertThat(table.name()).isEqualTo("chunks_docs_v1");
    assertThat(table.columnType()).isEqualTo("vector(2000)");
    assertThat(table.parameter(new float[] {1})).isInstanceOf(PGvector.class);
    assertThat(table.createSql())
        .contains("embedding        vector(2000)    NOT NULL")
        .contains("USING hnsw (embedding vector_cosine_ops)")
        .contains("WITH (m = 16, ef_construction = 64)");
  }

  @Test
  @DisplayName("above 2,000 dimensions the embedding is a halfvec, which HNSW indexes up to 4,000")
  void halfvecAbove2000() {
    ChunkTable table = new ChunkTable(new IndexSpec("docs_v1", 2001, "big", "english"));

    assertThat(table.columnType()).isEqualTo("halfvec(2001)");
    assertThat(table.parameter(new float[] {1})).isInstanceOf(PGhalfvec.class);
    assertThat(table.createSql()).contains("USING hnsw (embedding halfvec_cosine_ops)");
  }

  @Test
  @DisplayName("the keyword column uses the index's own text-search configuration and a GIN index")
  void textSearchColumnNamesItsConfiguration() {
    ChunkTable table = new ChunkTable(new IndexSpec("docs_v1", 3, "bge", "simple"));

    assertThat(table.createSql())
        .contains("GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, text)) STORED")
        .contains("CREATE INDEX chunks_docs_v1_tsv ON chunks_docs_v1 USING gin (text_search)")
        .contains("CREATE INDEX chunks_docs_v1_doc ON chunks_docs_v1 (document_id)");
  }

  @Test
  @DisplayName("every index name fits PostgreSQL's 63-character identifiers")
  void longestNamesFit() {
    String longest = "a".repeat(48);

    assertThat(ChunkTable.nameOf(longest) + "_hnsw").hasSizeLessThanOrEqualTo(63);
  }

  @Test
  @DisplayName("a name that is not a safe identifier never becomes a table name")
  void unsafeNameIsRefused() {
    assertThatThrownBy(() -> ChunkTable.nameOf("x; DROP TABLE t"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  @DisplayName("the catalog row for a script quotes the model name")
  void catalogInsertQuotesModel() {
    ChunkTable table = new ChunkTable(new IndexSpec("docs_v1", 3, "o'model", "english"));

    assertThat(table.catalogInsertSql()).contains("VALUES ('docs_v1', 'o''model', 3, 'english')");
  }
}
