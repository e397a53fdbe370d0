/**
 * The sinks: one per backend, each copying the chunks topic into its backend in its own consumer
 * group ({@code SupervisedSink} runs a {@code SinkWorker} and replaces it when it fails), with its
 * status and meters; the chunk events turned into storage writes ({@code ChunkWrites}); and the
 * feed that keeps the query process's local keyword indexes in step with what the Chroma sink wrote
 * ({@code KeywordIndexFeed}).
 */
package dev.agentbrain.sink;
