package dev.agentbrain.indexer;

import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddingContract;
import java.util.List;

/** Cuts a document into chunks that fit the contract's chunk size. Thread-safe. */
@FunctionalInterface
public interface DocumentSplitter {
  List<ChunkDraft> split(DocumentEvent document, EmbeddingContract contract);
}
