package dev.agentbrain.indexer;

import dev.agentbrain.chunking.Chunker;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.chunking.Language;
import dev.agentbrain.events.DocumentEvent;
import dev.agentbrain.events.EmbeddingContract;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Cuts documents with the structure-aware {@link Chunker}, counting tokens with the tokenizer of
 * the contract's own model, to the contract's chunk size and overlap.
 */
public final class TokenSplitter implements DocumentSplitter {

  private final ModelPool models;
  private final ConcurrentHashMap<String, Chunker> chunkers = new ConcurrentHashMap<>();

  public TokenSplitter(ModelPool models) {
    this.models = models;
  }

  @Override
  public List<ChunkDraft> split(DocumentEvent document, EmbeddingContract contract) {
    Chunker chunker =
        chunkers.computeIfAbsent(
            contract.getModel(), m -> new Chunker(models.model(m)::countTokens));
    ChunkingSettings settings =
        new ChunkingSettings(contract.getChunkMaxTokens(), contract.getChunkOverlapTokens());
    return chunker
        .chunk(document.getContent(), Language.of(document.getLanguage()), settings)
        .stream()
        .map(c -> new ChunkDraft(c.text(), c.tokens(), c.headingPath()))
        .toList();
  }
}
