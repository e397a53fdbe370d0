package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Keyword search of {@link PostgresStore}: BM25 computed in SQL from each chunk's {@code tsvector}
 * and the index's keyword statistics tables (see {@link ChunkTable}), with the parameters of a
 * {@link Bm25}.
 */
final class KeywordSearch {

  private final IndexCatalog catalog;
  private final Transactions transactions;
  private final Bm25 bm25;

  KeywordSearch(IndexCatalog catalog, Bm25 bm25) {
    this.catalog = catalog;
    this.transactions = catalog.transactions();
    this.bm25 = bm25;
  }

  /**
   * The exact best {@code topK} by BM25 of the chunks that pass the query's filter: without a
   * filter, every posting of the query's terms scored from the posting blocks ({@link
   * BlockSearch}); with one, found from the front of each query term's posting list ({@link
   * PostingListSearch}) and scored in SQL from their postings by the same expression as the
   * exhaustive query. Either returns them with their columns. Everything reads one snapshot, so
   * writes in between cannot change the statistics the scores come from.
   *
   * @param exhaustive score every chunk that holds a query term from its {@code tsvector} (the GIN
   *     index finds them), the ranking without pruning or postings, to measure the search against
   */
  List<SearchHit> search(String physicalName, KeywordQuery query, boolean exhaustive) {
    ChunkTable table = catalog.table(physicalName);
    SqlFilter filter = SqlFilter.of(query.filter());
    // NUL cannot be in stored text either, and PostgreSQL refuses it in a parameter
    String text = query.text().replace('\u0000', ' ');
    return transactions.inTransaction(
        "searching index " + physicalName + " by keyword",
        physicalName,
        connection -> {
          try (Statement snapshot = connection.createStatement()) {
            snapshot.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY");
          }
          withoutJit(connection);
          if (exhaustive) {
            return scored(connection, keywordSql(table, filter.sql()), text, filter, query.topK());
          }
          List<PostingListSearch.Term> terms = new ArrayList<>();
          double averageLength = 1;
          try (PreparedStatement select = connection.prepareStatement(keywordWeightsSql(table))) {
            bindKeywordQuery(select, text);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                terms.add(
                    new PostingListSearch.Term(
                        rows.getString("lexeme"), rows.getDouble("weight"), rows.getLong("df")));
                averageLength = rows.getDouble("average_length");
              }
            }
          }
          if (terms.isEmpty()) {
            return List.<SearchHit>of();
          }
          if (filter.passesAll()) {
            return blockHits(connection, table, terms, averageLength, query.topK());
          }
          // a filter drops chunks the blocks cannot tell: a filtered search checks each chunk as
          // the row postings reach it
          String[] found =
              new PostingListSearch(
                      terms,
                      bm25,
                      averageLength,
                      new SqlPostings(connection, table, filter, terms),
                      query.topK())
                  .candidates().stream()
                      .map(PostingListSearch.Candidate::chunkId)
                      .toArray(String[]::new);
          if (found.length == 0) {
            return List.<SearchHit>of();
          }
          List<SearchHit> hits = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement(candidatesSql(table))) {
            bindKeywordQuery(select, text);
            select.setArray(4, connection.createArrayOf("text", found));
            select.setInt(5, query.topK());
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                hits.add(hit(rows));
              }
            }
          }
          return hits;
        });
  }

  /**
   * The best {@code topK} of an unfiltered search: every posting of the terms scored from the
   * blocks ({@link BlockSearch}), the candidates' columns read by chunk number in chunk id order
   * (the database's collation, as the exhaustive query breaks ties), then stably sorted by score.
   * The scores are the blocks' sums: the same BM25 as the SQL expression, summed by Java (they
   * differ from it in the last bits, 1e-15 of the score).
   */
  private List<SearchHit> blockHits(
      Connection connection,
      ChunkTable table,
      List<PostingListSearch.Term> terms,
      double averageLength,
      int topK)
      throws SQLException {
    BlockSearch.Scores scores =
        BlockSearch.score(connection, table, terms, new BlockSearch.Scores(bm25, averageLength));
    int[] found = scores.candidates(topK);
    double bound = bm25.bound(terms.stream().mapToDouble(PostingListSearch.Term::weight).sum());
    record Scored(ChunkRecord chunk, double bm25) {}
    List<Scored> scored = new ArrayList<>(found.length);
    try (PreparedStatement select = connection.prepareStatement(byNumberSql(table))) {
      select.setArray(
          1, connection.createArrayOf("integer", Arrays.stream(found).boxed().toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          scored.add(
              new Scored(ChunkRows.chunk(rows, new float[0]), scores.sum(rows.getInt("chunk_no"))));
        }
      }
    }
    return scored.stream()
        .sorted(Comparator.comparingDouble(Scored::bm25).reversed())
        .limit(topK)
        .map(s -> new SearchHit(s.chunk(), Similarity.fromBm25(s.bm25(), bound)))
        .toList();
  }

  /**
   * The columns of some chunks by number, in chunk id order, each found by the unique index on the
   * number whatever the planner's statistics say. Parameter: the numbers, as an array.
   */
  static String byNumberSql(ChunkTable table) {
    return """
        SELECT c.* FROM unnest(CAST(? AS integer[])) AS f(number)
        CROSS JOIN LATERAL (
          SELECT chunk_no, %1$s FROM %2$s WHERE chunk_no = f.number OFFSET 0
        ) AS c
        ORDER BY c.chunk_id
        """
        .formatted(ChunkRows.COLUMNS, table.name());
  }

  private List<SearchHit> scored(
      Connection connection, String sql, String text, SqlFilter filter, int topK)
      throws SQLException {
    List<SearchHit> scored = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      bindKeywordQuery(select, text);
      select.setInt(filter.bind(connection, select, 4), topK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          scored.add(hit(rows));
        }
      }
    }
    return scored;
  }

  /** The current row as a hit on the shared scale. */
  private SearchHit hit(ResultSet rows) throws SQLException {
    double score =
        Similarity.fromBm25(rows.getDouble("bm25"), bm25.bound(rows.getDouble("query_weight")));
    return new SearchHit(ChunkRows.chunk(rows, new float[0]), score);
  }

  /** Binds the parameters of {@link #keywordWeights}: the query text, k1 and b. */
  private void bindKeywordQuery(PreparedStatement select, String text) throws SQLException {
    select.setString(1, text);
    select.setDouble(2, bm25.k1());
    select.setDouble(3, bm25.b());
  }

  /**
   * The query's analysed terms with their BM25 weights ({@code queryCount * idf}), as common table
   * expressions {@code query}, {@code stats} and {@code weights}. Parameters: the query text, k1,
   * b. A term no chunk holds has no weight.
   */
  private static String keywordWeights(ChunkTable table) {
    return """
        WITH query AS (
          SELECT to_tsvector('%3$s'::regconfig, ?) AS terms
        ), stats AS (
          SELECT chunks, greatest(total_length::float8 / nullif(chunks, 0), 1) AS average_length,
                 CAST(? AS float8) AS k1, CAST(? AS float8) AS b
          FROM %2$s
        ), weights AS (
          SELECT q.lexeme, t.df, s.average_length,
                 cardinality(q.positions) * ln(1 + (s.chunks - t.df + 0.5) / (t.df + 0.5)) AS weight
          FROM query CROSS JOIN unnest(query.terms) AS q
          JOIN %1$s AS t ON t.term = q.lexeme
          CROSS JOIN stats AS s
        )"""
        .formatted(table.termsName(), table.statsName(), table.spec().textSearchLanguage());
  }

  /**
   * The query's terms with their weights and document frequencies, and the average length ({@link
   * #keywordWeights}). Parameters: the text, k1, b.
   */
  static String keywordWeightsSql(ChunkTable table) {
    return keywordWeights(table) + "\nSELECT lexeme, weight, df, average_length FROM weights\n";
  }

  /**
   * The BM25 query of the chunks {@link PostingListSearch} found, scored from their postings by the
   * same expression as {@link #keywordSql}, each chunk's postings found by the primary key whatever
   * the planner's statistics say (an index loaded moments ago has none). Parameters: the query
   * text, k1, b, the chunk ids, the limit.
   */
  static String candidatesSql(ChunkTable table) {
    return keywordWeights(table)
        + """
        , scored AS (
          SELECT f.chunk_id,
                 sum(w.weight * p.tf * (s.k1 + 1)
                     / (p.tf + s.k1 * (1 - s.b + s.b * p.text_length / s.average_length))) AS bm25
          FROM unnest(CAST(? AS text[])) AS f(chunk_id)
          CROSS JOIN LATERAL (
            SELECT q.term, q.tf, q.text_length FROM %3$s AS q
            WHERE q.chunk_id = f.chunk_id AND q.term = ANY(ARRAY(SELECT lexeme FROM weights))
            OFFSET 0
          ) AS p
          JOIN weights AS w ON w.lexeme = p.term CROSS JOIN stats AS s
          GROUP BY f.chunk_id
        )
        SELECT %1$s, scored.bm25, (SELECT sum(weight) FROM weights) AS query_weight
        FROM scored JOIN %2$s AS c USING (chunk_id)
        ORDER BY scored.bm25 DESC, c.chunk_id
        LIMIT ?
        """
            .formatted(ChunkRows.COLUMNS, table.name(), table.postingsName());
  }

  /**
   * The BM25 query of every chunk that holds a query term and passes a filter condition, for {@code
   * keywordSearchExhaustive}. Parameters: the query text, k1, b, the filter's, the limit. Chunks
   * come from the GIN index on {@code text_search}; each one's term frequencies from its tsvector's
   * positions, the IDF and average length from the statistics tables. Only the best {@code limit}
   * rows are joined back for their columns.
   *
   * <p>Marking the query's terms with weight A and keeping only those ({@code ts_filter}) before
   * {@code unnest} makes a candidate yield a row per matching term instead of one per term it holds
   * (SciFact, a 9-term query matching 3,760 of 5,183 chunks: 350 ms before, 45 ms after). It relies
   * on stored tsvectors having only the default weight D, which {@code to_tsvector} gives.
   */
  static String keywordSql(ChunkTable table, String filter) {
    return keywordWeights(table)
        + """
        , matches AS (
          SELECT c.chunk_id, c.text_length, d.lexeme, cardinality(d.positions) AS tf
          FROM %2$s AS c
          CROSS JOIN LATERAL unnest(ts_filter(
            setweight(c.text_search, 'A', (SELECT array_agg(lexeme) FROM weights)), '{a}')) AS d
          WHERE c.text_search @@ (SELECT agentbrain_any_term(terms) FROM query) AND %3$s
        ), scored AS (
          SELECT m.chunk_id,
                 sum(w.weight * m.tf * (s.k1 + 1)
                     / (m.tf + s.k1 * (1 - s.b + s.b * m.text_length / s.average_length))) AS bm25
          FROM matches AS m JOIN weights AS w USING (lexeme) CROSS JOIN stats AS s
          GROUP BY m.chunk_id
          ORDER BY bm25 DESC, m.chunk_id
          LIMIT ?
        )
        SELECT %1$s, scored.bm25, (SELECT sum(weight) FROM weights) AS query_weight
        FROM scored JOIN %2$s AS c USING (chunk_id)
        ORDER BY scored.bm25 DESC, c.chunk_id
        """
            .formatted(ChunkRows.COLUMNS, table.name(), filter);
  }

  /**
   * Turns JIT compilation off for this transaction: the planner cannot estimate how many rows
   * {@code unnest} of a tsvector yields, overestimates the keyword query's cost by orders of
   * magnitude and compiles it, which took 0.7 s of a 0.06 s query.
   */
  private static void withoutJit(Connection connection) throws SQLException {
    try (PreparedStatement settings =
        connection.prepareStatement("SELECT set_config('jit', 'off', true)")) {
      settings.execute();
    }
  }
}
