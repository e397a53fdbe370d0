package dev.agentbrain.chunking;

/** text[start, end) of a document. */
record Span(int start, int end) {}
