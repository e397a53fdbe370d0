/**
 * Embedding models served over HTTP (OpenAI's embeddings API or a server that speaks it, Ollama):
 * their settings and API key, batches split into requests within a cap and sent concurrently, and
 * the one decision of which failed requests are worth sending again ({@code ApiFailure}).
 */
package dev.agentbrain.embedding.http;
