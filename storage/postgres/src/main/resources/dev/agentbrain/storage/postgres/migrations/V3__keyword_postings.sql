-- Posting lists for BM25 keyword search without scoring every match. Each index has, next to its
-- chunks table, a table with a row per (chunk, term): the term's frequency in the chunk, the chunk's
-- length and their ratio, the density, by which each term's list is read best first (see
-- ChunkTable and KeywordSearch). Statement triggers on the chunks table keep it current in the
-- transaction that writes the chunks.

-- Statement trigger of a chunks table: applies the written rows to the index's postings.
-- TG_ARGV: the postings table. An UPDATE removes the old rows' postings and adds the new rows'.
CREATE FUNCTION agentbrain_keyword_postings() RETURNS trigger
  LANGUAGE plpgsql
  AS $$
  BEGIN
    IF TG_OP = 'TRUNCATE' THEN
      EXECUTE format('TRUNCATE %I', TG_ARGV[0]);
      RETURN NULL;
    END IF;
    IF TG_OP IN ('DELETE', 'UPDATE') THEN
      EXECUTE format(
        'DELETE FROM %I AS p USING old_rows AS o WHERE p.chunk_id = o.chunk_id', TG_ARGV[0]);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
      EXECUTE format(
        'INSERT INTO %I (term, chunk_id, tf, text_length)
         SELECT t.lexeme, n.chunk_id, cardinality(t.positions), n.text_length
         FROM new_rows AS n, unnest(n.text_search) AS t',
        TG_ARGV[0]);
    END IF;
    RETURN NULL;
  END
  $$;
