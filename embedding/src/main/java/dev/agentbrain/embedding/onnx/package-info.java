/**
 * Embedding models run in process by ONNX Runtime: the quantized models whose weights and tokenizer
 * ship inside LangChain4j's jars ({@code BundledModel}), and a token counter that follows their
 * BERT-style tokenizers step by step, so chunks are cut to what the model accepts.
 */
package dev.agentbrain.embedding.onnx;
