package dev.agentbrain.cli;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.embedding.ModelInfo;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import java.time.Instant;

/** Drafts and registers embedding contracts for new indexes. */
final class IndexContracts {

  /** Chunk size of new indexes when the model allows it: room for context, short enough to rank. */
  static final int DEFAULT_CHUNK_TOKENS = 400;

  static final int DEFAULT_OVERLAP_TOKENS = 50;

  private IndexContracts() {}

  /** What a model can do, without loading it (a remote model is asked once for its dimensions). */
  static ModelInfo modelInfo(String model) {
    return EmbeddingModels.describe(model, System.getenv());
  }

  /** A contract draft for the model: chunk sizes that fit its token limit. */
  static EmbeddingContract draft(
      String index, String model, String language, Integer chunkTokens, Integer overlapTokens) {
    ModelInfo info = modelInfo(model);
    int size = chunkTokens != null ? chunkTokens : Math.min(DEFAULT_CHUNK_TOKENS, info.maxTokens());
    int overlap =
        overlapTokens != null ? overlapTokens : Math.min(DEFAULT_OVERLAP_TOKENS, size / 6);
    if (size < 16 || size > info.maxTokens()) {
      throw new IllegalArgumentException(
          "chunk size must be 16.."
              + info.maxTokens()
              + " tokens for model "
              + info.model()
              + ", not "
              + size);
    }
    if (overlap < 0 || overlap >= size / 2) {
      throw new IllegalArgumentException(
          "chunk overlap must be 0.." + (size / 2 - 1) + " tokens, not " + overlap);
    }
    return EmbeddingContract.newBuilder()
        .setIndex(ContractRegistry.checkIndexName(index))
        .setVersion(0)
        .setProvider(info.provider())
        .setModel(info.model())
        .setDimensions(info.dimensions())
        .setMetric(DistanceMetric.COSINE)
        .setNormalized(info.normalized())
        .setTextSearchLanguage(language)
        .setChunkMaxTokens(size)
        .setChunkOverlapTokens(overlap)
        .setCreatedAt(Instant.now())
        .build();
  }

  /** The live contract of the index, registering one for {@code model} when it has none. */
  static EmbeddingContract ensure(ContractRegistry contracts, String index, String model) {
    return contracts
        .live(index)
        .orElseGet(() -> contracts.register(draft(index, model, "english", null, null)));
  }
}
