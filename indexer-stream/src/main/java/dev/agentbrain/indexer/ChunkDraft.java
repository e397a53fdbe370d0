package dev.agentbrain.indexer;

/**
 * A piece of a document, cut but not yet embedded.
 *
 * @param text the text to embed, within the model's token limit
 * @param tokens tokens of {@code text} by the model's tokenizer
 * @param headingPath heading or symbol path leading to it, {@code ""} when none
 */
public record ChunkDraft(String text, int tokens, String headingPath) {}
