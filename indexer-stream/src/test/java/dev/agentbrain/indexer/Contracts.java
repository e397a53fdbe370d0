package dev.agentbrain.indexer;

import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;

/** The contract these tests embed under: index "docs" version 1, the small real model. */
final class Contracts {

  static final String MODEL = "all-minilm-l6-v2-q";

  private Contracts() {}

  static EmbeddingContract docs(boolean chunkContext) {
    return EmbeddingContract.newBuilder()
        .setIndex("docs")
        .setVersion(1)
        .setProvider("onnx")
        .setModel(MODEL)
        .setDimensions(384)
        .setMetric(DistanceMetric.COSINE)
        .setChunkMaxTokens(100)
        .setChunkContext(chunkContext)
        .build();
  }
}
