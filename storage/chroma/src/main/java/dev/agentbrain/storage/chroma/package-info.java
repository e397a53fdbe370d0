/**
 * Chroma as a storage backend ({@code ChromaStore}): one collection per physical index, written and
 * read through a small client of Chroma's HTTP API v2, filters as Chroma {@code where} clauses
 * (path globs checked here, as Chroma has none), and the version markers that stand in for the
 * transactions Chroma does not have.
 */
package dev.agentbrain.storage.chroma;
