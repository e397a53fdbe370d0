/** The embedding models alone: passages per second on real abstracts, by model and threads. */
package dev.agentbrain.bench.embedding;
