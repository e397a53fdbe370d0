package dev.agentbrain.bench.chunking;

import dev.agentbrain.chunking.Chunk;
import dev.agentbrain.chunking.Chunker;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.chunking.Language;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.EmbeddingModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Measures how long chunking a folder of Markdown files takes with a model's own tokenizer, and
 * what it yields.
 *
 * <pre>
 * java -cp ... dev.agentbrain.bench.chunking.ChunkingBenchmark ../shared/data/docs-corpus \
 *     [model, default bge-small-en-v1.5-q] [maxTokens overlapTokens, default the model's]
 * </pre>
 */
public final class ChunkingBenchmark {

  private static final int ROUNDS = 3;

  private ChunkingBenchmark() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 1 && args.length != 2 && args.length != 4) {
      throw new IllegalArgumentException(
          "usage: ChunkingBenchmark FOLDER [MODEL [MAX_TOKENS OVERLAP_TOKENS]]");
    }
    List<String> documents = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".md")).sorted().toList()) {
        documents.add(Files.readString(file));
      }
    }
    String modelName = args.length > 1 ? args[1] : EmbeddingModels.DEFAULT_MODEL;
    try (EmbeddingModel model = EmbeddingModels.create(modelName, 1)) {
      ChunkingSettings settings =
          args.length == 4
              ? new ChunkingSettings(Integer.parseInt(args[2]), Integer.parseInt(args[3]))
              : ChunkingSettings.forModelLimit(model.info().maxTokens());
      Chunker chunker = new Chunker(model::countTokens);
      long bytes = documents.stream().mapToLong(d -> d.getBytes().length).sum();
      System.out.printf(
          "%s: %d Markdown files, %.1f MB, %s, %d rounds%n",
          args[0], documents.size(), bytes / 1e6, settings, ROUNDS);
      for (int round = 1; round <= ROUNDS; round++) {
        long started = System.nanoTime();
        int chunks = 0;
        long tokens = 0;
        int small = 0;
        for (String document : documents) {
          for (Chunk chunk : chunker.chunk(document, Language.MARKDOWN, settings)) {
            chunks++;
            tokens += chunk.tokens();
            small += chunk.tokens() < settings.minTokens() ? 1 : 0;
          }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf(
            "round %d: %d chunks, %.0f tokens per chunk on average, %d below %d tokens, %.2f s%n",
            round, chunks, (double) tokens / chunks, small, settings.minTokens(), seconds);
      }
    }
  }
}
