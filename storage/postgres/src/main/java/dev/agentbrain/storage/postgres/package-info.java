/**
 * PostgreSQL with pgvector as a storage backend ({@code PostgresStore}): one table per physical
 * index recorded in a catalog table that versioned migrations create, HNSW vector search, BM25
 * keyword search computed in SQL, filters as SQL conditions with bound values, and SQL failures
 * turned into the storage errors a caller can act on.
 */
package dev.agentbrain.storage.postgres;
