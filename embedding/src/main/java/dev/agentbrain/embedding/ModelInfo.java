package dev.agentbrain.embedding;

/**
 * What an embedding model is and what it accepts.
 *
 * @param provider e.g. {@code onnx}, {@code openai}, {@code ollama}
 * @param model model name as recorded in an index contract, e.g. {@code bge-small-en-v1.5-q}
 * @param dimensions length of every vector
 * @param maxTokens most text tokens one input may have (special tokens not counted)
 * @param normalized whether vectors come out with unit L2 norm
 */
public record ModelInfo(
    String provider, String model, int dimensions, int maxTokens, boolean normalized) {}
