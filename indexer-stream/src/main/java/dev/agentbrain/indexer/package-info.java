/**
 * The indexer: a Kafka Streams topology ({@code IndexerTopology}) that reads document events, cuts
 * each document into chunks by its index's contract, embeds them in batches with a cache of vectors
 * already made, and writes chunk events and dead letters; {@code IndexerService} runs it in one
 * process beside a sink per backend. {@code ChunkEmbedder} is the topology's processor; {@code
 * PendingBatch} and {@code VectorCache} hold what waits to be embedded and what was embedded
 * before.
 */
package dev.agentbrain.indexer;
