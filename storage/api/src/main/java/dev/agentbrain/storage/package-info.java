/**
 * What every storage backend offers: writing embedded chunks ({@link
 * dev.agentbrain.storage.ChunkWriter}), vector and keyword search over them ({@link
 * dev.agentbrain.storage.Retriever}), reading them back page by page ({@link
 * dev.agentbrain.storage.ChunkScan}), and the one score scale ({@link
 * dev.agentbrain.storage.Similarity}). Adapters depend on this package alone.
 *
 * <h2>The chunk types, in the order a chunk passes through them</h2>
 *
 * <ul>
 *   <li>{@code Chunk} (indexer-stream, {@code dev.agentbrain.chunking}): a piece of a document with
 *       its offsets and heading path, made by {@code Chunker}; read by {@code TokenSplitter}.
 *   <li>{@code ChunkDraft} (indexer-stream, {@code dev.agentbrain.indexer}): a chunk's text, tokens
 *       and heading path, cut but not embedded, made by {@code TokenSplitter} from a {@code Chunk};
 *       read by {@code ChunkEvents}, which turns a document's drafts into events.
 *   <li>{@code PendingChunk} (schemas, Avro): a chunk waiting to be embedded, its {@code
 *       EmbeddedChunk} with an empty vector plus its tokens and the offset of the document event it
 *       came from; made by {@code ChunkEmbedder} into its batch buffer (a Kafka Streams state
 *       store, never a topic) and read back by it when the batch is embedded.
 *   <li>{@code EmbeddedChunk} (schemas, Avro): the event on the chunks topic, an embedded chunk or
 *       the deletion of a document, made by {@code ChunkEmbedder} (through {@code ChunkEvents});
 *       read by the sinks ({@code ChunkWrites}) and by the admin commands that replay the topic.
 *   <li>{@link dev.agentbrain.storage.ChunkRecord} (here): one embedded chunk as a backend stores
 *       it, made by {@code ChunkWrites} from an event and by each backend when it reads a row back;
 *       read by the backends' writers and by everything that searches ({@link
 *       dev.agentbrain.storage.SearchHit}).
 *   <li>{@link dev.agentbrain.storage.ChunkWrite} (here): one change to an index, an upsert of a
 *       {@code ChunkRecord} or the deletion of a document, made by {@code ChunkWrites}; read by
 *       {@link dev.agentbrain.storage.ChunkWriter#write} through {@link
 *       dev.agentbrain.storage.WritePlan}.
 * </ul>
 */
package dev.agentbrain.storage;
