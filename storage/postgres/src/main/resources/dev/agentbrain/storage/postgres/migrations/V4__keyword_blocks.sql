-- Posting blocks: each term's postings packed 128 to a row, so that a keyword search reads a term's
-- list as a few hundred byte strings instead of a row per posting (six times cheaper per posting by
-- JDBC at 100k chunks; docs/keyword-search-at-scale.md). Each chunk has a number (chunk_no, an
-- identity column of the chunks table) and a block entry is 12 bytes, three big-endian integers:
-- the chunk number, the term's frequency in it and the chunk's length. The row postings table says
-- in which block each posting is, so a deletion rewrites only the blocks that held it. Both are
-- kept by one statement trigger in the writing transaction (see ChunkTable).

-- The entries of a block: their place in it, chunk number, term frequency and chunk length.
CREATE FUNCTION agentbrain_block_entries(data bytea)
  RETURNS TABLE (i integer, chunk_no integer, tf integer, text_length integer)
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT e.i,
           get_byte(data, o) << 24 | get_byte(data, o + 1) << 16 | get_byte(data, o + 2) << 8
             | get_byte(data, o + 3),
           get_byte(data, o + 4) << 24 | get_byte(data, o + 5) << 16 | get_byte(data, o + 6) << 8
             | get_byte(data, o + 7),
           get_byte(data, o + 8) << 24 | get_byte(data, o + 9) << 16 | get_byte(data, o + 10) << 8
             | get_byte(data, o + 11)
    FROM generate_series(0, length(data) / 12 - 1) AS e(i), LATERAL (SELECT e.i * 12) AS p(o)
  $$;

-- A block without the entries of some chunks.
CREATE FUNCTION agentbrain_block_without(data bytea, removed integer[]) RETURNS bytea
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(substr(data, e.i * 12 + 1, 12), ''::bytea ORDER BY e.i), ''::bytea)
    FROM agentbrain_block_entries(data) AS e
    WHERE e.chunk_no <> ALL (removed)
  $$;

-- Statement trigger of a chunks table: applies the written rows to the index's row postings and
-- posting blocks. TG_ARGV: the postings table, the blocks table. An UPDATE removes the old rows'
-- postings and adds the new rows'. New postings of a term fill its last block up to 128 entries,
-- then new blocks; a removed posting is cut out of its block, and a block left empty is dropped.
-- No index of the blocks table reads the data column, so that rewriting a block can be a HOT
-- update (the table leaves half of each page free for it). The triggers are named to fire after the
-- statistics triggers, whose update of the one statistics row queues the writers of an index before
-- they touch a block.
CREATE FUNCTION agentbrain_keyword_blocks() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    emptied_terms text[];
    emptied_blocks integer[];
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      EXECUTE format('TRUNCATE %I, %I', TG_ARGV[0], TG_ARGV[1]);
      RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      EXECUTE format(
        'WITH gone AS (
           DELETE FROM %1$I AS p USING old_rows AS o WHERE p.chunk_id = o.chunk_id
           RETURNING p.term, p.block_no, o.chunk_no
         ), cut AS (
           UPDATE %2$I AS b SET data = agentbrain_block_without(b.data, r.removed)
           FROM (SELECT term, block_no, array_agg(chunk_no) AS removed FROM gone
                 GROUP BY term, block_no) AS r
           WHERE b.term = r.term AND b.block_no = r.block_no
           RETURNING b.term, b.block_no, b.data
         )
         SELECT array_agg(term), array_agg(block_no) FROM cut WHERE data = ''''::bytea',
        TG_ARGV[0], TG_ARGV[1]) INTO emptied_terms, emptied_blocks;
      IF emptied_terms IS NOT NULL THEN
        EXECUTE format(
          'DELETE FROM %I AS b USING unnest($1, $2) AS e(term, block_no)
           WHERE b.term = e.term AND b.block_no = e.block_no',
          TG_ARGV[1]) USING emptied_terms, emptied_blocks;
      END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      EXECUTE format(
        'WITH added AS (
           SELECT t.lexeme AS term, n.chunk_id, n.chunk_no, cardinality(t.positions) AS tf,
                  n.text_length,
                  row_number() OVER (PARTITION BY t.lexeme ORDER BY n.chunk_no) AS rank
           FROM new_rows AS n, unnest(n.text_search) AS t
         ), tails AS (
           SELECT d.term, coalesce(l.block_no, -1) AS block_no,
                  greatest(128 - coalesce(l.entries, 128), 0) AS room
           FROM (SELECT DISTINCT term FROM added) AS d
           LEFT JOIN LATERAL (
             SELECT block_no, entries FROM %2$I WHERE term = d.term ORDER BY block_no DESC LIMIT 1
           ) AS l ON true
         ), placed AS (
           SELECT a.*, CASE WHEN a.rank <= t.room THEN t.block_no
                            ELSE t.block_no + 1 + (a.rank - t.room - 1) / 128 END AS block_no
           FROM added AS a JOIN tails AS t USING (term)
         ), rows AS (
           INSERT INTO %1$I (term, chunk_id, tf, text_length, block_no)
           SELECT term, chunk_id, tf, text_length, block_no FROM placed
         )
         INSERT INTO %2$I AS b (term, block_no, entries, data)
         SELECT term, block_no, count(*),
                string_agg(int4send(chunk_no) || int4send(tf) || int4send(text_length), ''''::bytea
                           ORDER BY chunk_no)
         FROM placed GROUP BY term, block_no ORDER BY term, block_no
         ON CONFLICT (term, block_no)
           DO UPDATE SET entries = b.entries + EXCLUDED.entries, data = b.data || EXCLUDED.data',
        TG_ARGV[0], TG_ARGV[1]);
    END IF;
    RETURN NULL;
  END
  $$;
