-- BM25 keyword search. Each index has, next to its chunks table, a table of document frequencies per
-- term and a one-row table of its size; statement triggers on the chunks table keep both current in
-- the transaction that writes the chunks (see ChunkTable).

-- A tsvector's length in terms, repeats included: the BM25 length of a chunk. (PostgreSQL keeps at
-- most 256 positions per lexeme, far above what a chunk within a model's token limit repeats.)
CREATE FUNCTION agentbrain_term_count(terms tsvector) RETURNS integer
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT coalesce(sum(cardinality(positions)), 0)::integer FROM unnest(terms) $$;

-- The OR of a tsvector's lexemes as a tsquery, each lexeme quoted as it is, so that nothing is
-- analysed twice; NULL (which matches nothing) when there is no lexeme.
CREATE FUNCTION agentbrain_any_term(terms tsvector) RETURNS tsquery
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT string_agg('''' || replace(replace(lexeme, '\', '\\'), '''', '''''') || '''', ' | ')::tsquery
    FROM unnest(tsvector_to_array(terms)) AS lexeme
  $$;

-- Statement trigger of a chunks table: applies the written rows to the index's term statistics.
-- TG_ARGV: the terms table, the stats table. Rows of an UPDATE count out (old) and in (new), so an
-- update that keeps the text changes nothing. Statistics rows are updated stats-row first and terms
-- in sorted order, so concurrent writers queue instead of deadlocking.
CREATE FUNCTION agentbrain_keyword_statistics() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  DECLARE
    changes text;
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
    EXECUTE format(
      'UPDATE %I AS s SET chunks = s.chunks + d.chunks, total_length = s.total_length + d.total_length
       FROM (SELECT coalesce(sum(sign), 0) AS chunks, coalesce(sum(sign * text_length), 0) AS total_length
             FROM (%s) AS c) AS d',
      TG_ARGV[1], changes);
    EXECUTE format(
      'INSERT INTO %1$I AS t (term, df)
       SELECT lexeme, sum(sign) FROM (%2$s) AS c, unnest(tsvector_to_array(c.text_search)) AS lexeme
       GROUP BY lexeme HAVING sum(sign) <> 0 ORDER BY lexeme
       ON CONFLICT (term) DO UPDATE SET df = t.df + EXCLUDED.df',
      TG_ARGV[0], changes);
    EXECUTE format('DELETE FROM %I WHERE df <= 0', TG_ARGV[0]);
    RETURN NULL;
  END
  $$;
