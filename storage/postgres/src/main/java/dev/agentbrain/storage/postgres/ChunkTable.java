package dev.agentbrain.storage.postgres;

import com.pgvector.PGhalfvec;
import com.pgvector.PGvector;
import dev.agentbrain.storage.IndexSpec;
import java.util.List;
import org.postgresql.util.PGobject;

/**
 * The table that holds one physical index, {@code chunks_<physicalName>} in the connection's
 * default schema, and its DDL.
 *
 * <p>Vectors are stored as {@code vector(N)}, or {@code halfvec(N)} above 2,000 dimensions, where
 * pgvector's HNSW index on {@code vector} stops. The HNSW index uses cosine distance with
 * pgvector's defaults {@code m = 16} (links per node) and {@code ef_construction = 64} (candidate
 * list while building). {@code text_search} is generated from {@code text} with the index's own
 * text-search configuration, named explicitly so that a server default can never change it, and has
 * a GIN index for keyword search.
 *
 * <p>BM25 needs statistics that {@code tsvector} alone does not keep: {@code text_length} (the
 * chunk's length in terms, repeats included), {@code bm25_terms_<physicalName>} (how many chunks
 * hold each term) and the one row of {@code bm25_stats_<physicalName>} (number of chunks and their
 * summed length). Statement triggers on the chunks table (the function comes from migration 2) keep
 * them current in the writing transaction, whoever writes.
 *
 * <p>Keyword search reads {@code bm25_blocks_<physicalName>}: each term's postings packed 128 to a
 * row as (chunk number, term frequency, chunk length), the chunk number an identity column {@code
 * chunk_no} of the chunks table (see {@link BlockSearch}). A filtered search reads {@code
 * bm25_postings_<physicalName>}, a row per chunk and term it holds with the term's frequency, the
 * chunk's length, their ratio ({@code density}) and the block the posting is in. Its index {@code
 * (term, density, chunk_id)} gives each term's chunks densest first, which bounds what the chunks
 * not yet read can add (see {@link PostingListSearch}); its primary key {@code (chunk_id, term)}
 * finds a chunk's frequencies of the query's terms. One statement trigger (function of migration 4)
 * keeps postings and blocks in the writing transaction too.
 *
 * <p>The chunks table holds only whole versions. The chunks of a version that spans several write
 * calls wait in {@code staged_<physicalName>} (never read by searches) until its last chunk
 * arrives; then one transaction moves them in and removes the older version. {@code
 * deleted_<physicalName>} keeps the version at which each deleted document was deleted, so that a
 * late write of an older version cannot bring it back.
 */
record ChunkTable(IndexSpec spec) {

  static final int HALFVEC_ABOVE = 2000;
  static final int HNSW_M = 16;
  static final int HNSW_EF_CONSTRUCTION = 64;

  /** The table name of a physical index (which {@link IndexSpec#requireValidName} makes safe). */
  static String nameOf(String physicalName) {
    return "chunks_" + IndexSpec.requireValidName(physicalName);
  }

  String name() {
    return nameOf(spec.physicalName());
  }

  /** The table of document frequencies per term of a physical index. */
  static String termsNameOf(String physicalName) {
    return "bm25_terms_" + IndexSpec.requireValidName(physicalName);
  }

  /** The one-row table of a physical index's size in chunks and in terms. */
  static String statsNameOf(String physicalName) {
    return "bm25_stats_" + IndexSpec.requireValidName(physicalName);
  }

  /** The table of a physical index's postings: a row per chunk and term it holds. */
  static String postingsNameOf(String physicalName) {
    return "bm25_postings_" + IndexSpec.requireValidName(physicalName);
  }

  /** The table of a physical index's posting blocks: 128 postings of a term to a row. */
  static String blocksNameOf(String physicalName) {
    return "bm25_blocks_" + IndexSpec.requireValidName(physicalName);
  }

  /** The table of the chunks of versions not yet whole. */
  String stagedName() {
    return "staged_" + spec.physicalName();
  }

  /** The table of the versions at which documents were deleted. */
  String deletedName() {
    return "deleted_" + spec.physicalName();
  }

  /** Every table of a physical index, for dropping it. */
  static List<String> allNamesOf(String physicalName) {
    IndexSpec.requireValidName(physicalName);
    return List.of(
        nameOf(physicalName),
        termsNameOf(physicalName),
        statsNameOf(physicalName),
        postingsNameOf(physicalName),
        blocksNameOf(physicalName),
        "staged_" + physicalName,
        "deleted_" + physicalName);
  }

  /**
   * The tables of versions in progress and of deletions; no error when they exist (an index made
   * before whole versions gets them on its next {@code ensureIndex}). The staged table has the
   * chunks table's columns, its generated ones as plain (and unused) columns, so the two never
   * drift apart.
   */
  String versionTablesSql() {
    return """
        CREATE TABLE IF NOT EXISTS %1$s (
          LIKE %3$s,
          chunk_count integer NOT NULL,
          PRIMARY KEY (document_id, document_version, position)
        );
        CREATE TABLE IF NOT EXISTS %2$s (
          document_id      text   PRIMARY KEY,
          document_version bigint NOT NULL
        );
        """
        .formatted(stagedName(), deletedName(), name());
  }

  String termsName() {
    return termsNameOf(spec.physicalName());
  }

  String statsName() {
    return statsNameOf(spec.physicalName());
  }

  String postingsName() {
    return postingsNameOf(spec.physicalName());
  }

  String blocksName() {
    return blocksNameOf(spec.physicalName());
  }

  boolean halfPrecision() {
    return spec.dimensions() > HALFVEC_ABOVE;
  }

  /** The embedding column's type as {@code format_type} prints it, e.g. {@code vector(384)}. */
  String columnType() {
    return (halfPrecision() ? "halfvec" : "vector") + "(" + spec.dimensions() + ")";
  }

  /** A vector as a bind parameter of the embedding column's type. */
  PGobject parameter(float[] vector) {
    return halfPrecision() ? new PGhalfvec(vector) : new PGvector(vector);
  }

  /**
   * Creates the table and its indexes. Every name in it has been validated by {@link IndexSpec}.
   */
  String createSql() {
    return createSql(true);
  }

  /**
   * Creates the table and its indexes, the HNSW index only when {@code vectorIndex}: a replay that
   * loads many rows before anything queries them builds it afterwards ({@link #vectorIndexSql}),
   * several times faster than inserting into it row by row.
   */
  String createSql(boolean vectorIndex) {
    return tableSql() + versionTablesSql() + (vectorIndex ? vectorIndexSql("") + ";\n" : "");
  }

  /**
   * The HNSW index on the embedding column (no error when it exists).
   *
   * @param how {@code ""}, or {@code "CONCURRENTLY"} to build it while writes go on
   */
  String vectorIndexSql(String how) {
    return "CREATE INDEX %2$s IF NOT EXISTS %1$s_hnsw ON %1$s USING hnsw (embedding %3$s) WITH (m = %4$d, ef_construction = %5$d)"
        .formatted(
            name(),
            how,
            halfPrecision() ? "halfvec_cosine_ops" : "vector_cosine_ops",
            HNSW_M,
            HNSW_EF_CONSTRUCTION);
  }

  private String tableSql() {
    return """
        CREATE TABLE %1$s (
          chunk_id         text    PRIMARY KEY,
          document_id      text    NOT NULL,
          document_version bigint  NOT NULL,
          position         integer NOT NULL,
          text             text    NOT NULL,
          source           text    NOT NULL,
          source_type      text    NOT NULL,
          language         text    NOT NULL,
          heading_path     text    NOT NULL,
          content_hash     text    NOT NULL,
          metadata         jsonb   NOT NULL DEFAULT '{}',
          embedding        %2$s    NOT NULL,
          text_search      tsvector GENERATED ALWAYS AS (to_tsvector('%3$s'::regconfig, text)) STORED,
          %4$s
        );
        CREATE INDEX %1$s_doc ON %1$s (document_id);
        CREATE INDEX %1$s_tsv ON %1$s USING gin (text_search);
        """
        .formatted(name(), columnType(), spec.textSearchLanguage(), textLengthColumn());
  }

  /**
   * The BM25 length column. A generated column cannot read another one, so it analyses the text
   * again (cheap next to the HNSW insert).
   */
  private String textLengthColumn() {
    return "text_length integer GENERATED ALWAYS AS"
        + " (agentbrain_term_count(to_tsvector('%s'::regconfig, text))) STORED"
            .formatted(spec.textSearchLanguage());
  }

  /**
   * Creates the keyword statistics of a chunks table made by {@link #createSql} or by an earlier
   * version without them: the length column when missing, the terms and stats tables filled from
   * the chunks already there, and the triggers that keep them current.
   */
  String keywordStatisticsSql() {
    return """
        ALTER TABLE %1$s ADD COLUMN IF NOT EXISTS %4$s;
        CREATE TABLE %2$s (
          term text   PRIMARY KEY,
          df   bigint NOT NULL
        );
        CREATE TABLE %3$s (
          one          boolean PRIMARY KEY DEFAULT true CHECK (one),
          chunks       bigint  NOT NULL,
          total_length bigint  NOT NULL
        );
        INSERT INTO %2$s (term, df)
          SELECT lexeme, count(*) FROM %1$s, unnest(tsvector_to_array(text_search)) AS lexeme
          GROUP BY lexeme;
        INSERT INTO %3$s (chunks, total_length)
          SELECT count(*), coalesce(sum(text_length), 0) FROM %1$s;
        CREATE TRIGGER keyword_statistics_insert AFTER INSERT ON %1$s
          REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_statistics('%2$s', '%3$s');
        CREATE TRIGGER keyword_statistics_update AFTER UPDATE ON %1$s
          REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_statistics('%2$s', '%3$s');
        CREATE TRIGGER keyword_statistics_delete AFTER DELETE ON %1$s
          REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_statistics('%2$s', '%3$s');
        CREATE TRIGGER keyword_statistics_truncate AFTER TRUNCATE ON %1$s
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_statistics('%2$s', '%3$s');
        """
        .formatted(name(), termsName(), statsName(), textLengthColumn());
  }

  /**
   * Creates the postings table of a chunks table made by {@link #createSql} or by an earlier
   * version without it, empty: {@link #keywordBlocksSql} fills it.
   */
  String keywordPostingsSql() {
    return """
        CREATE TABLE %1$s (
          term        text    NOT NULL,
          chunk_id    text    NOT NULL,
          tf          integer NOT NULL,
          text_length integer NOT NULL,
          density     float8  GENERATED ALWAYS AS (tf::float8 / greatest(text_length, 1)) STORED,
          block_no    integer NOT NULL,
          PRIMARY KEY (chunk_id, term)
        );
        CREATE INDEX %1$s_density ON %1$s (term, density, chunk_id) INCLUDE (tf, text_length);
        """
        .formatted(postingsName());
  }

  /**
   * Numbers the chunks and creates the posting blocks of a chunks table made by {@link #createSql}
   * or by an earlier version without them, fills the postings and the blocks from the chunks
   * already there, and replaces the postings triggers of migration 3 with those that keep both
   * (function of migration 4). Must run after {@link #versionTablesSql}, whose staged table copies
   * the chunks table's columns and must not get the number, which only the chunks table assigns.
   * The blocks' pages are filled to half, and no index reads their data, so that the rewrite of a
   * term's last block, which every write of a chunk holding the term makes, can be a HOT update in
   * the block's own page instead of a new copy elsewhere and a dead one left behind.
   */
  String keywordBlocksSql() {
    return """
        ALTER TABLE %1$s ADD COLUMN IF NOT EXISTS chunk_no integer GENERATED BY DEFAULT AS IDENTITY;
        CREATE UNIQUE INDEX IF NOT EXISTS %1$s_no ON %1$s (chunk_no);
        DROP TRIGGER IF EXISTS keyword_postings_insert ON %1$s;
        DROP TRIGGER IF EXISTS keyword_postings_update ON %1$s;
        DROP TRIGGER IF EXISTS keyword_postings_delete ON %1$s;
        DROP TRIGGER IF EXISTS keyword_postings_truncate ON %1$s;
        TRUNCATE %2$s;
        ALTER TABLE %2$s ADD COLUMN IF NOT EXISTS block_no integer NOT NULL;
        CREATE TABLE %3$s (
          term     text    NOT NULL,
          block_no integer NOT NULL,
          entries  integer NOT NULL,
          data     bytea   NOT NULL,
          PRIMARY KEY (term, block_no)
        ) WITH (fillfactor = 50);
        INSERT INTO %2$s (term, chunk_id, tf, text_length, block_no)
          SELECT t.lexeme, c.chunk_id, cardinality(t.positions), c.text_length,
                 (row_number() OVER (PARTITION BY t.lexeme ORDER BY c.chunk_no) - 1) / 128
          FROM %1$s AS c, unnest(c.text_search) AS t;
        INSERT INTO %3$s (term, block_no, entries, data)
          SELECT p.term, p.block_no, count(*),
                 string_agg(int4send(c.chunk_no) || int4send(p.tf) || int4send(p.text_length),
                            ''::bytea ORDER BY c.chunk_no)
          FROM %2$s AS p JOIN %1$s AS c USING (chunk_id)
          GROUP BY p.term, p.block_no;
        CREATE TRIGGER keyword_terms_insert AFTER INSERT ON %1$s
          REFERENCING NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_blocks('%2$s', '%3$s');
        CREATE TRIGGER keyword_terms_update AFTER UPDATE ON %1$s
          REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_blocks('%2$s', '%3$s');
        CREATE TRIGGER keyword_terms_delete AFTER DELETE ON %1$s
          REFERENCING OLD TABLE AS old_rows
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_blocks('%2$s', '%3$s');
        CREATE TRIGGER keyword_terms_truncate AFTER TRUNCATE ON %1$s
          FOR EACH STATEMENT EXECUTE FUNCTION agentbrain_keyword_blocks('%2$s', '%3$s');
        """
        .formatted(name(), postingsName(), blocksName());
  }

  /** Records the index in the catalog, as a literal statement for a script a person runs. */
  String catalogInsertSql() {
    return """
        INSERT INTO agentbrain_indexes (physical_name, model, dimensions, text_search_language)
          VALUES ('%s', '%s', %d, '%s');
        """
        .formatted(
            spec.physicalName(),
            spec.model().replace("'", "''"),
            spec.dimensions(),
            spec.textSearchLanguage());
  }
}
