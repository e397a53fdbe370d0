package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
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
   * The exact best {@code topK} by BM25 of the chunks that pass the query's filter, found without
   * scoring every chunk that holds a query term (MaxScore): a chunk can add at most {@code weight *
   * (k1 + 1)} per term it holds, so a chunk whose held terms' bounds sum below a threshold that
   * {@code topK} chunks reach cannot be in the result. Each pass scores only the chunks the GIN
   * index finds for {@link TermCondition#atLeast} of a threshold: first a guess, a quarter of all
   * bounds. When {@code topK} candidates were scored but the last of them is below the threshold,
   * the next threshold is the larger of that score (then the next pass is exact: {@code topK}
   * chunks are known to reach it) and half the threshold; with fewer than {@code topK} candidates,
   * it halves, down to the lightest term's bound, below which every chunk that holds a term is a
   * candidate. Each pass admits every chunk the one before did, so the thresholds only fall and the
   * search ends. All passes read one snapshot, so writes in between cannot change the statistics
   * the bounds came from.
   *
   * <p>Why: on SciFact replicated to 100k chunks (make bench-scale), the earlier schedule (half the
   * bounds, then the score found or a quarter, then zero) repeated its first pass on 18 of 20
   * queries, scored every chunk holding a term (37,000 and 61,000; 1.1 and 1.5 s) on 2, and jumped
   * to a low score found, whose pass admits thousands of chunks; see
   * docs/keyword-search-at-scale.md for the runs before and after.
   *
   * @param exhaustive score every chunk that holds a query term in one pass (threshold 0, the
   *     ranking before pruning), for measuring the pruned ranking against
   */
  List<SearchHit> search(String physicalName, KeywordQuery query, boolean exhaustive) {
    ChunkTable table = catalog.table(physicalName);
    SqlFilter filter = SqlFilter.of(query.filter());
    String weightsSql = keywordWeightsSql(table);
    String sql = keywordSql(table, filter.sql());
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
          List<TermCondition.Bound> bounds = new ArrayList<>();
          try (PreparedStatement select = connection.prepareStatement(weightsSql)) {
            bindKeywordQuery(select, text);
            try (ResultSet rows = select.executeQuery()) {
              while (rows.next()) {
                bounds.add(
                    new TermCondition.Bound(
                        rows.getString("lexeme"), bm25.bound(rows.getDouble("weight"))));
              }
            }
          }
          if (bounds.isEmpty()) {
            return List.<SearchHit>of();
          }
          double lightest =
              bounds.stream().mapToDouble(TermCondition.Bound::bound).min().orElseThrow();
          double threshold =
              exhaustive ? 0 : bounds.stream().mapToDouble(TermCondition.Bound::bound).sum() / 4;
          while (true) {
            TermCondition candidates =
                threshold > 0
                    ? TermCondition.atLeast(bounds, threshold)
                    : TermCondition.anyOf(bounds);
            List<ScoredChunk> scored =
                scoreCandidates(connection, sql, text, candidates, filter, query.topK());
            boolean full = scored.size() == query.topK();
            if (threshold <= 0 || (full && scored.getLast().bm25() >= threshold)) {
              return scored.stream().map(ScoredChunk::hit).toList();
            }
            threshold =
                full
                    ? Math.max(scored.getLast().bm25(), threshold / 2)
                    : threshold / 2 > lightest ? threshold / 2 : 0;
          }
        });
  }

  /** A chunk with its raw BM25 score, and as a hit on the shared scale. */
  private record ScoredChunk(SearchHit hit, double bm25) {}

  private List<ScoredChunk> scoreCandidates(
      Connection connection,
      String sql,
      String text,
      TermCondition candidates,
      SqlFilter filter,
      int topK)
      throws SQLException {
    List<ScoredChunk> scored = new ArrayList<>();
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      bindKeywordQuery(select, text);
      select.setString(4, candidates.tsquery());
      int next = filter.bind(connection, select, 5);
      select.setInt(next, topK);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          double bm25Score = rows.getDouble("bm25");
          double score = Similarity.fromBm25(bm25Score, bm25.bound(rows.getDouble("query_weight")));
          scored.add(
              new ScoredChunk(
                  new SearchHit(ChunkRows.chunk(rows, new float[0]), score), bm25Score));
        }
      }
    }
    return scored;
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
          SELECT q.lexeme,
                 cardinality(q.positions) * ln(1 + (s.chunks - t.df + 0.5) / (t.df + 0.5)) AS weight
          FROM query CROSS JOIN unnest(query.terms) AS q
          JOIN %1$s AS t ON t.term = q.lexeme
          CROSS JOIN stats AS s
        )"""
        .formatted(table.termsName(), table.statsName(), table.spec().textSearchLanguage());
  }

  /** The query's terms and weights ({@link #keywordWeights}). Parameters: the text, k1, b. */
  static String keywordWeightsSql(ChunkTable table) {
    return keywordWeights(table) + "\nSELECT lexeme, weight FROM weights\n";
  }

  /**
   * The BM25 query of the chunks that meet a {@link TermCondition}. Parameters: the query text, k1,
   * b, the condition as tsquery text, the filter's, the limit. Candidates come from the GIN index
   * on {@code text_search}; each candidate's term frequencies come from its tsvector's positions,
   * the IDF and average length from the statistics tables. Only the best {@code limit} rows are
   * joined back for their columns.
   *
   * <p>Marking the query's terms with weight A and keeping only those ({@code ts_filter}) before
   * {@code unnest} makes a candidate yield a row per matching term instead of one per term it holds
   * (SciFact, a 9-term query matching 3,760 of 5,183 chunks: 350 ms before, 45 ms after). It relies
   * on stored tsvectors having only the default weight D, which {@code to_tsvector} gives.
   */
  static String keywordSql(ChunkTable table, String condition) {
    return keywordWeights(table)
        + """
        , matches AS (
          SELECT c.chunk_id, c.text_length, d.lexeme, cardinality(d.positions) AS tf
          FROM %2$s AS c
          CROSS JOIN LATERAL unnest(ts_filter(
            setweight(c.text_search, 'A', (SELECT array_agg(lexeme) FROM weights)), '{a}')) AS d
          WHERE c.text_search @@ CAST(? AS tsquery) AND %3$s
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
            .formatted(ChunkRows.COLUMNS, table.name(), condition);
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
