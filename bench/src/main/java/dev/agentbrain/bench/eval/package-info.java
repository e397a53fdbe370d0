/**
 * {@code make eval}: retrieval quality on SciFact, read in place from {@code ../shared/data}. The
 * corpus is cut by the indexer's chunker ({@code ChunkedCorpus}), embedded once into a cache of
 * vectors ({@code CorpusVectors}), written to scratch indexes of both backends, and searched in
 * every mode; {@code FusionGrid} tries the fusion settings on the train split, {@code
 * KeywordExactness} compares the bm25 ranking served with the exhaustive one, and {@code
 * EvaluationReport} writes the JSON, Markdown and plots.
 */
package dev.agentbrain.bench.eval;
