/**
 * Cutting documents into chunks that fit an embedding model ({@code Chunker}): Markdown under its
 * headings, code at its classes, methods and functions (a pragmatic reading by braces or
 * indentation, not a parser), and everything else at paragraphs, lines, sentences and words, with
 * the overlap and the chunk size an index's contract sets ({@code ChunkingSettings}). Pure
 * functions of the text: no Kafka, no model but the token counter it is given.
 */
package dev.agentbrain.chunking;
