/**
 * {@code make bench-scale} and {@code make bench-hnsw}: search latency and HNSW recall as an index
 * grows to hundreds of thousands of chunks, built from replicated SciFact chunks and the vectors
 * {@code make eval} cached, measured at the store and through the query API ({@code
 * QueryApiClient}) against an exact scan ({@code ExactNeighbours}); and how PostgreSQL's HNSW index
 * is best built for a large replay.
 */
package dev.agentbrain.bench.scale;
