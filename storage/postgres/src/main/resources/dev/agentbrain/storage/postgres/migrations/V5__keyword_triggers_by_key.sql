-- The keyword triggers of migrations 2 and 4 without whole-table scans. A 1M-chunk bulk load here
-- (a server without autovacuum, so tables without planner statistics) ran at 316 chunks/s at first
-- and 116 at 290k chunks: every statement deleted the terms whose frequency had fallen to 0 by
-- "df <= 0", which the planner answered by reading the whole terms table (24,533 pages, 87 times in
-- 30 s), and statements that wrote no row (deleting older versions of new documents) still ran
-- the delete path. Now a statement that writes no row does nothing, only the terms an UPDATE or
-- DELETE lowered are looked at, by key, and an INSERT (which only raises frequencies) looks at none;
-- the same load went on at 200 chunks/s. The partial index of each terms table on "df <= 0" served
-- only that delete, and as it reads df it kept every update of a frequency from being a HOT update:
-- dropped.

DO $$
  DECLARE
    zero record;
  BEGIN
    FOR zero IN
      SELECT schemaname, indexname FROM pg_indexes WHERE indexname LIKE 'bm25\_terms\_%\_zero'
    LOOP
      EXECUTE format('DROP INDEX %I.%I', zero.schemaname, zero.indexname);
    END LOOP;
  END
  $$;

CREATE OR REPLACE FUNCTION agentbrain_keyword_statistics() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    changes text;
    written boolean;
    emptied text[];
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      EXECUTE format('TRUNCATE %I', TG_ARGV[0]);
      EXECUTE format('UPDATE %I SET chunks = 0, total_length = 0', TG_ARGV[1]);
      RETURN NULL;
    END IF;
    changes := CASE TG_OP
      WHEN 'INSERT' THEN 'SELECT 1 AS sign, text_search, text_length FROM new_rows'
      WHEN 'DELETE' THEN 'SELECT -1 AS sign, text_search, text_length FROM old_rows'
      ELSE 'SELECT 1 AS sign, text_search, text_length FROM new_rows
            UNION ALL SELECT -1, text_search, text_length FROM old_rows'
    END;
    EXECUTE format('SELECT EXISTS (%s)', changes) INTO written;
    IF NOT written THEN
      RETURN NULL;
    END IF;
    EXECUTE format(
      'UPDATE %I AS s SET chunks = s.chunks + d.chunks, total_length = s.total_length + d.total_length
       FROM (SELECT coalesce(sum(sign), 0) AS chunks, coalesce(sum(sign * text_length), 0) AS total_length
             FROM (%s) AS c) AS d',
      TG_ARGV[1], changes);
    EXECUTE format(
      'WITH changed AS (
         INSERT INTO %1$I AS t (term, df)
         SELECT lexeme, sum(sign) FROM (%2$s) AS c, unnest(tsvector_to_array(c.text_search)) AS lexeme
         GROUP BY lexeme HAVING sum(sign) <> 0 ORDER BY lexeme
         ON CONFLICT (term) DO UPDATE SET df = t.df + EXCLUDED.df
         RETURNING t.term, t.df
       )
       SELECT array_agg(term) FROM changed WHERE df <= 0',
      TG_ARGV[0], changes) INTO emptied;
    IF emptied IS NOT NULL THEN
      EXECUTE format('DELETE FROM %I WHERE term = ANY ($1) AND df <= 0', TG_ARGV[0]) USING emptied;
    END IF;
    RETURN NULL;
  END
  $$;

-- As migration 4's, doing nothing for a side of the statement that has no row.
CREATE OR REPLACE FUNCTION agentbrain_keyword_blocks() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    emptied_terms text[];
    emptied_blocks integer[];
    written boolean;
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      EXECUTE format('TRUNCATE %I, %I', TG_ARGV[0], TG_ARGV[1]);
      RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      EXECUTE 'SELECT EXISTS (SELECT FROM old_rows)' INTO written;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') AND written THEN
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
      EXECUTE 'SELECT EXISTS (SELECT FROM new_rows)' INTO written;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND written THEN
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
