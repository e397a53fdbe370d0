package dev.agentbrain.sink;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.storage.ChunkRecord;
import dev.agentbrain.storage.ChunkWrite;
import dev.agentbrain.storage.DocumentVersions;
import dev.agentbrain.storage.IndexSpec;
import java.util.List;

/** Turns chunk events into storage writes, and contracts into index specs. */
public final class ChunkWrites {

  private ChunkWrites() {}

  /** The storage write a chunk event asks for: an upsert of the chunk, or a document's removal. */
  public static ChunkWrite of(EmbeddedChunk event) {
    if (event.getOperation() == ChunkOperation.DELETE_DOCUMENT) {
      // a delete from an indexer before log versions carries none: it followed every clock version
      long version =
          event.getDocumentVersion() == 0 ? DocumentVersions.FROM_LOG : event.getDocumentVersion();
      return new ChunkWrite.DeleteDocument(event.getDocumentId(), version);
    }
    List<Float> values = event.getEmbedding();
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = values.get(i);
    }
    return new ChunkWrite.Upsert(
        ChunkRecord.builder()
            .chunkId(event.getChunkId())
            .documentId(event.getDocumentId())
            .documentVersion(event.getDocumentVersion())
            .position(event.getPosition())
            .text(event.getText())
            .source(event.getSource())
            .sourceType(event.getSourceType())
            .language(event.getLanguage())
            .headingPath(event.getHeadingPath())
            .contentHash(event.getContentHash())
            .metadata(event.getMetadata())
            .embedding(vector)
            .build(),
        event.getChunkCount());
  }

  static String physicalName(EmbeddedChunk event) {
    return ContractRegistry.physicalName(event.getIndex(), event.getIndexVersion());
  }

  /** What a backend needs to create or verify the physical index of a contract. */
  public static IndexSpec spec(EmbeddingContract contract) {
    return new IndexSpec(
        ContractRegistry.physicalName(contract.getIndex(), contract.getVersion()),
        contract.getDimensions(),
        contract.getModel(),
        contract.getTextSearchLanguage());
  }
}
