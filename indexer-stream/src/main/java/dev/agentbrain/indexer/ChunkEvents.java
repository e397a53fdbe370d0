package dev.agentbrain.indexer;

import dev.agentbrain.chunking.Chunk;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.events.ChunkOperation;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.hashing.ContentHash;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The chunk events of one document version, exactly as the indexer emits them: ids {@code <document
 * id>#<position>}, the contract's index, version and model, and the document's fields. Whoever must
 * make the same chunks outside the topology (a repair of one backend) uses this too, so both always
 * agree.
 */
public final class ChunkEvents {

  private ChunkEvents() {}

  /**
   * The document's chunks cut as {@code drafts}, in order, without vectors.
   *
   * @param version the document version: {@code DocumentVersions.fromLog} of its record's offset
   */
  public static List<EmbeddedChunk> of(
      DocumentEvent document, long version, EmbeddingContract contract, List<ChunkDraft> drafts) {
    List<EmbeddedChunk> chunks = new ArrayList<>(drafts.size());
    for (int position = 0; position < drafts.size(); position++) {
      ChunkDraft draft = drafts.get(position);
      chunks.add(
          EmbeddedChunk.newBuilder()
              .setIndex(document.getIndex())
              .setIndexVersion(contract.getVersion())
              .setOperation(ChunkOperation.UPSERT)
              .setDocumentId(document.getId())
              .setDocumentVersion(version)
              .setChunkId(document.getId() + "#" + position)
              .setPosition(position)
              .setChunkCount(drafts.size())
              .setText(draft.text())
              .setSource(document.getSource())
              .setSourceType(document.getSourceType())
              .setLanguage(document.getLanguage())
              .setHeadingPath(draft.headingPath())
              .setContentHash(ContentHash.sha256(draft.text()))
              .setMetadata(document.getMetadata())
              .setModel(contract.getModel())
              .setEmbedding(List.of())
              .build());
    }
    return chunks;
  }

  /**
   * The key of a chunk's vector in the embedding caches (the indexer's store and the shared
   * embeddings topic): the model and the hash of the text the contract embeds for it ({@link
   * Chunk#withContext} under chunk context), so equal texts share one vector and a chunk embedded
   * with its heading path never shares one with the same text embedded without.
   */
  public static String cacheKey(EmbeddingContract contract, EmbeddedChunk chunk) {
    String text = withContext(contract, chunk);
    return contract.getModel()
        + "|"
        + (text.equals(chunk.getText()) ? chunk.getContentHash() : ContentHash.sha256(text));
  }

  /**
   * The text the model embeds for a chunk: the chunk's own text, or under the contract's chunk
   * context its text with the heading path in front ({@link Chunk#withContext}) when that fits the
   * model's limit. A chunk whose heading path would push it past the limit is embedded without it
   * rather than refused; the rule depends only on the model and the chunk, so a vector cached under
   * {@link #cacheKey} is always the one this gives.
   */
  public static String textToEmbed(
      EmbeddingContract contract, EmbeddedChunk chunk, EmbeddingModel model) {
    return contract.getChunkContext()
        ? Chunk.withContext(
            chunk.getText(),
            chunk.getPosition(),
            chunk.getHeadingPath(),
            model::countTokens,
            model.info().maxTokens())
        : chunk.getText();
  }

  private static String withContext(EmbeddingContract contract, EmbeddedChunk chunk) {
    return contract.getChunkContext()
        ? Chunk.withContext(chunk.getText(), chunk.getPosition(), chunk.getHeadingPath())
        : chunk.getText();
  }

  /** A vector as the embedding caches hold it: big-endian floats. */
  public static byte[] toBytes(float[] vector) {
    ByteBuffer buffer = ByteBuffer.allocate(vector.length * Float.BYTES);
    buffer.asFloatBuffer().put(vector);
    return buffer.array();
  }

  /** A vector from the bytes the embedding caches hold. */
  public static float[] fromBytes(byte[] bytes) {
    float[] vector = new float[bytes.length / Float.BYTES];
    ByteBuffer.wrap(bytes).asFloatBuffer().get(vector);
    return vector;
  }

  /** A vector as a chunk event carries it. */
  public static List<Float> toList(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float x : vector) {
      list.add(x);
    }
    return list;
  }
}
