/**
 * {@code make bench} and {@code make bench-query}: the whole pipeline indexing the docs corpus
 * (chunks and documents per second beside the model alone), and the query API under many concurrent
 * clients while indexing runs, each on an index of its own ({@code BenchIndex}).
 */
package dev.agentbrain.bench.indexing;
