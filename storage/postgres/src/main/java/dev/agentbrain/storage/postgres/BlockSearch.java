package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.postgres.PostingListSearch.Term;
import java.nio.ByteBuffer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.PriorityQueue;

/**
 * Finds the chunks of the exact top k by BM25 by scoring every posting of the query's terms, read
 * from the index's posting blocks ({@code bm25_blocks_<physicalName>}, see {@link ChunkTable}):
 * each block is 128 entries of (chunk number, term frequency, chunk length) packed in a {@code
 * bytea}, which a search reads about six times faster than a row per posting and scores into an
 * array indexed by chunk number. At top 100 the threshold algorithm of {@link PostingListSearch}
 * still had to read 62% of these postings on SciFact at 100k chunks, one row at a time
 * (docs/keyword-search-at-scale.md); reading all of them this way costs less.
 *
 * <p>The candidates are every chunk whose score reaches the k-th best, less a margin far above the
 * rounding of a sum, so that ordering them by score and chunk id gives the top k, ties included.
 */
final class BlockSearch {

  /** Bytes of one block entry: three big-endian integers. */
  static final int ENTRY_BYTES = 12;

  /** Relative margin below the k-th best score: summing in another order changes far less. */
  private static final double MARGIN = 1e-9;

  private BlockSearch() {}

  /**
   * Every block of some terms, each with the place of its term in the array; the blocks of each
   * term found by the primary key whatever the planner's statistics say ({@code OFFSET 0}).
   * Parameter: the terms, as an array.
   */
  static String readSql(ChunkTable table) {
    return """
        SELECT r.i, b.data
        FROM unnest(CAST(? AS text[])) WITH ORDINALITY AS r(term, i)
        CROSS JOIN LATERAL (SELECT data FROM %s WHERE term = r.term OFFSET 0) AS b
        """
        .formatted(table.blocksName());
  }

  /** Adds every block of the terms to the scores, read on one connection; returns the scores. */
  static Scores score(Connection connection, ChunkTable table, List<Term> terms, Scores scores)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(readSql(table))) {
      select.setArray(
          1, connection.createArrayOf("text", terms.stream().map(Term::lexeme).toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          scores.add(rows.getBytes(2), terms.get(rows.getInt(1) - 1).weight());
        }
      }
    }
    return scores;
  }

  /** BM25 sums by chunk number, in an array as long as the largest number seen. */
  static final class Scores {
    private final Bm25 bm25;
    private final double averageLength;
    private double[] sums = new double[1 << 12];
    private int[] touched = new int[1 << 10];
    private int touchedCount;

    Scores(Bm25 bm25, double averageLength) {
      this.bm25 = bm25;
      this.averageLength = averageLength;
    }

    /** Adds what a term of this weight gives each chunk of one of its blocks. */
    void add(byte[] block, double weight) {
      ByteBuffer entries = ByteBuffer.wrap(block);
      for (int at = 0; at + ENTRY_BYTES <= block.length; at += ENTRY_BYTES) {
        int chunk = entries.getInt(at);
        double score =
            weight * bm25.termWeight(entries.getInt(at + 4), entries.getInt(at + 8), averageLength);
        if (chunk >= sums.length) {
          sums = Arrays.copyOf(sums, Math.max(chunk + 1, sums.length * 2));
        }
        if (sums[chunk] == 0) {
          // every term adds more than 0: its IDF is positive and tf at least 1
          if (touchedCount == touched.length) {
            touched = Arrays.copyOf(touched, touchedCount * 2);
          }
          touched[touchedCount++] = chunk;
        }
        sums[chunk] += score;
      }
    }

    /** The BM25 score of a chunk: its sum over the terms added, 0 when none holds it. */
    double sum(int chunk) {
      return chunk < sums.length ? sums[chunk] : 0;
    }

    /** The chunks whose sum reaches the {@code topK}-th best less the margin, ties included. */
    int[] candidates(int topK) {
      if (touchedCount <= topK) {
        return Arrays.copyOf(touched, touchedCount);
      }
      PriorityQueue<Double> best = new PriorityQueue<>(topK + 1);
      for (int i = 0; i < touchedCount; i++) {
        double sum = sums[touched[i]];
        if (best.size() < topK) {
          best.add(sum);
        } else if (sum > best.peek()) {
          best.poll();
          best.add(sum);
        }
      }
      double floor = best.peek() * (1 - MARGIN);
      int[] found = new int[touchedCount];
      int count = 0;
      for (int i = 0; i < touchedCount; i++) {
        if (sums[touched[i]] >= floor) {
          found[count++] = touched[i];
        }
      }
      return Arrays.copyOf(found, count);
    }
  }
}
