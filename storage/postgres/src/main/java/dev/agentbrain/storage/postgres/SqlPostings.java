package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.postgres.PostingListSearch.Posting;
import dev.agentbrain.storage.postgres.PostingListSearch.Read;
import dev.agentbrain.storage.postgres.PostingListSearch.Term;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The posting lists of one index for {@link PostingListSearch}, read on one connection (whose
 * transaction holds the snapshot) from {@code bm25_postings_<physicalName>} (see {@link
 * ChunkTable}).
 */
final class SqlPostings implements PostingListSearch.Postings {

  private final Connection connection;
  private final ChunkTable table;
  private final SqlFilter filter;
  private final String[] lexemes;

  SqlPostings(Connection connection, ChunkTable table, SqlFilter filter, List<Term> terms) {
    this.connection = connection;
    this.table = table;
    this.filter = filter;
    this.lexemes = terms.stream().map(Term::lexeme).toArray(String[]::new);
  }

  /**
   * One statement for all reads: each continues its term's list after a (density, chunk id)
   * position, backwards along the index {@code (term, density, chunk_id)}, which holds the columns
   * read (an index-only scan). Parameters: terms, densities, chunk ids, sizes, as arrays.
   */
  static String readSql(ChunkTable table) {
    return """
        SELECT r.i, p.chunk_id, p.tf, p.text_length, p.density
        FROM unnest(CAST(? AS text[]), CAST(? AS float8[]), CAST(? AS text[]),
                    CAST(? AS integer[])) WITH ORDINALITY AS r(term, density, chunk_id, size, i)
        CROSS JOIN LATERAL (
          SELECT q.chunk_id, q.tf, q.text_length, q.density
          FROM %s AS q
          WHERE q.term = r.term AND (q.density, q.chunk_id) < (r.density, r.chunk_id)
          ORDER BY q.density DESC, q.chunk_id DESC
          LIMIT r.size
        ) AS p
        ORDER BY r.i, p.density DESC, p.chunk_id DESC
        """
        .formatted(table.postingsName());
  }

  /**
   * The postings of some chunks, by primary key whatever the planner's statistics say (an index
   * loaded moments ago has none): {@code OFFSET 0} keeps the planner from turning the lateral
   * look-up into a join. Parameters: chunk ids, terms, as arrays.
   */
  static String lookUpSql(ChunkTable table) {
    return """
        SELECT f.chunk_id, q.term, q.tf, q.text_length, q.density
        FROM unnest(CAST(? AS text[])) AS f(chunk_id)
        CROSS JOIN LATERAL (
          SELECT term, tf, text_length, density FROM %s
          WHERE chunk_id = f.chunk_id AND term = ANY(CAST(? AS text[]))
          OFFSET 0
        ) AS q
        """
        .formatted(table.postingsName());
  }

  @Override
  public List<List<Posting>> read(List<Read> reads) throws SQLException {
    List<List<Posting>> found = new ArrayList<>();
    String[] terms = new String[reads.size()];
    Double[] densities = new Double[reads.size()];
    String[] after = new String[reads.size()];
    Integer[] sizes = new Integer[reads.size()];
    for (int i = 0; i < reads.size(); i++) {
      Read read = reads.get(i);
      terms[i] = lexemes[read.term()];
      densities[i] = read.density();
      after[i] = read.chunkId();
      sizes[i] = read.size();
      found.add(new ArrayList<>());
    }
    try (PreparedStatement select = connection.prepareStatement(readSql(table))) {
      select.setArray(1, connection.createArrayOf("text", terms));
      select.setArray(2, connection.createArrayOf("float8", densities));
      select.setArray(3, connection.createArrayOf("text", after));
      select.setArray(4, connection.createArrayOf("integer", sizes));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          found
              .get(rows.getInt(1) - 1)
              .add(
                  new Posting(
                      rows.getString(2), rows.getInt(3), rows.getInt(4), rows.getDouble(5)));
        }
      }
    }
    return found;
  }

  @Override
  public Map<String, Map<String, Posting>> lookUp(Collection<String> chunkIds) throws SQLException {
    Map<String, Map<String, Posting>> found = new HashMap<>();
    try (PreparedStatement select = connection.prepareStatement(lookUpSql(table))) {
      select.setArray(1, connection.createArrayOf("text", chunkIds.toArray()));
      select.setArray(2, connection.createArrayOf("text", lexemes));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          String chunkId = rows.getString(1);
          found
              .computeIfAbsent(chunkId, id -> new HashMap<>())
              .put(
                  rows.getString(2),
                  new Posting(chunkId, rows.getInt(3), rows.getInt(4), rows.getDouble(5)));
        }
      }
    }
    return found;
  }

  @Override
  public Set<String> failing(Collection<String> chunkIds) throws SQLException {
    if (filter.passesAll()) {
      return Set.of();
    }
    Set<String> failing = new HashSet<>();
    try (PreparedStatement select =
        connection.prepareStatement(
            """
            SELECT f.chunk_id FROM unnest(CAST(? AS text[])) AS f(chunk_id)
            WHERE NOT EXISTS (SELECT FROM %s WHERE chunk_id = f.chunk_id AND %s)
            """
                .formatted(table.name(), filter.sql()))) {
      select.setArray(1, connection.createArrayOf("text", chunkIds.toArray()));
      filter.bind(connection, select, 2);
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          failing.add(rows.getString(1));
        }
      }
    }
    return failing;
  }
}
