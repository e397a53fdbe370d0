/**
 * Local BM25 keyword indexes on Apache Lucene, one directory per physical index ({@code
 * KeywordIndexes}): the keyword search of a backend that has none of its own (Chroma), scoring as
 * PostgreSQL does ({@code Bm25Scorer}) and analysing text as its text-search configuration does.
 * Each index is a view, rebuilt from the backend whenever needed.
 */
package dev.agentbrain.storage.keyword;
