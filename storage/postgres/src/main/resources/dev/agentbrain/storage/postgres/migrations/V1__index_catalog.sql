-- pgvector provides the vector and halfvec column types and the HNSW index.
CREATE EXTENSION IF NOT EXISTS vector;

-- One row per physical index: what its vectors were made with. ensureIndex compares it (and the
-- embedding column's real type) with the contract on every start.
CREATE TABLE agentbrain_indexes (
  physical_name        text        PRIMARY KEY,
  model                text        NOT NULL,
  dimensions           integer     NOT NULL CHECK (dimensions BETWEEN 1 AND 4000),
  text_search_language text        NOT NULL,
  created_at           timestamptz NOT NULL DEFAULT now()
);
