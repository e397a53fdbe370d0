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
    String text, int position, String headingPath, int startOffset, int endOffset, int tokens) {

  /**
   * The text to embed with chunk context: the heading path in front of a chunk that does not begin
   * its document (the first chunk holds the document's title itself), so that a chunk cut from the
   * middle keeps what it is about. The text stored and shown stays {@link #text}.
   */
  public String withContext() {
    return withContext(text, position, headingPath);
  }

  /** {@link #withContext()} of a chunk known by its text, position and heading path. */
  public static String withContext(String text, int position, String headingPath) {
    return position == 0 || headingPath.isBlank() ? text : headingPath + "\n\n" + text;
  }

  /**
   * What a model with a limit of {@code maxTokens} embeds under chunk context: {@link
   * #withContext(String, int, String)}, or the text alone when the heading path would take it past
   * the limit (the chunker keeps the text itself within it), so that a chunk is never refused for
   * its context.
   */
  public static String withContext(
      String text, int position, String headingPath, TokenCounter tokens, int maxTokens) {
    String withContext = withContext(text, position, headingPath);
    return withContext.equals(text) || tokens.count(withContext) <= maxTokens ? withContext : text;
  }
}
