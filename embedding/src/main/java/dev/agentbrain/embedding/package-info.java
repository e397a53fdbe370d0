/**
 * Embedding models, as the rest of the system sees them: {@code EmbeddingModel} turns texts into
 * vectors and counts their tokens, {@code EmbeddingModels} makes one from the name an index
 * contract records, {@code LoadedModels} loads each once and shares it, and the exceptions say
 * whether a failed batch may succeed later. The models themselves are in {@code onnx} (in process)
 * and {@code http} (served over HTTP).
 */
package dev.agentbrain.embedding;
