package dev.agentbrain.cli;

import dev.agentbrain.contract.ContractRegistry;
import dev.agentbrain.embedding.EmbeddingModels;
import dev.agentbrain.embedding.ModelInfo;
import dev.agentbrain.events.DistanceMetric;
import dev.agentbrain.events.EmbeddingContract;
import java.time.Instant;

/** Drafts and registers embedding contracts for new indexes. */
public final class IndexContracts {

  /** Chunk size of new indexes when the model allows it: room for context, short enough to rank. */
  static final int DEFAULT_CHUNK_TOKENS = 400;

  static final int DEFAULT_OVERLAP_TOKENS = 50;

  /**
   * Whether new indexes embed chunks with their heading path in front: chosen by {@code make eval}
   * on SciFact's train split, where it raised vector and hybrid nDCG@10 (docs/fusion.md).
   */
  static final boolean DEFAULT_CHUNK_CONTEXT = true;

  private IndexContracts() {}

  /** What a model can do, without loading it (a remote model is asked once for its dimensions). */
  static ModelInfo modelInfo(String model) {
    return EmbeddingModels.describe(model, System.getenv());
  }

  /**
   * A contract draft for the model: chunk sizes that fit its token limit; {@code null} settings get
   * the defaults of new indexes.
   */
  public static EmbeddingContract draft(
      String index,
      String model,
      String language,
      Integer chunkTokens,
      Integer overlapTokens,
      Boolean chunkContext) {
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
        .setChunkContext(chunkContext != null ? chunkContext : DEFAULT_CHUNK_CONTEXT)
        .setCreatedAt(Instant.now())
        .build();
  }

  /** The live contract of the index, registering one for {@code model} when it has none. */
  static EmbeddingContract ensure(ContractRegistry contracts, String index, String model) {
    return contracts
        .live(index)
        .orElseGet(() -> contracts.register(draft(index, model, "english", null, null, null)));
  }
}
