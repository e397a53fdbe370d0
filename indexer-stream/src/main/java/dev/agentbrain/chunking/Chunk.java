package dev.agentbrain.chunking;

/**
 * One piece of a document, sized for an embedding model.
 *
 * @param text exactly {@code document.substring(startOffset, endOffset)}; never blank, never starts
 *     or ends with whitespace
 * @param position zero-based index of the chunk in its document
 * @param headingPath the Markdown headings ({@code "Install > Linux"}) or code symbols ({@code
 *     "class Foo > method bar"}) the text sits under, {@code ""} when none
 * @param startOffset index of the first char in the document (UTF-16 units, as {@link String})
 * @param endOffset index after the last char
 * @param tokens tokens of {@code text} by the chunker's counter, at most the settings' maximum
 */
public record Chunk(
    String text, int position, String headingPath, int startOffset, int endOffset, int tokens) {}
