package dev.agentbrain.bench.eval;

import dev.agentbrain.chunking.Chunk;
import dev.agentbrain.chunking.Chunker;
import dev.agentbrain.chunking.ChunkingSettings;
import dev.agentbrain.chunking.Language;
import dev.agentbrain.chunking.TokenCounter;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.testing.BeirDataset;
import java.util.ArrayList;
import java.util.List;

/**
 * A data set's corpus as the pipeline indexes it: each document a Markdown file ({@link
 * BeirDataset.Document#markdown}), cut by the indexer's own {@link Chunker} with the tokenizer of
 * the model and the chunk size a new index of that model gets ({@link
 * ChunkingSettings#forModelLimit}). Chunk ids are {@code <document id>#<position>}, as the
 * indexer's.
 */
public record ChunkedCorpus(List<Piece> chunks) {

  /**
   * One chunk: what is stored and shown ({@code text}), under {@code headingPath}, and what is
   * embedded with chunk context ({@link Chunk#withContext(String, int, String, TokenCounter, int)},
   * as the indexer embeds it).
   */
  public record Piece(
      String id,
      String documentId,
      int position,
      String text,
      String headingPath,
      String contextText) {}

  /** The chunks a new index of {@code model} gets: its default chunk size. */
  public static ChunkedCorpus of(BeirDataset data, EmbeddingModel model) {
    return of(data, model, ChunkingSettings.forModelLimit(model.info().maxTokens()));
  }

  /** The chunks of an index of {@code model} cut at {@code settings}. */
  public static ChunkedCorpus of(
      BeirDataset data, EmbeddingModel model, ChunkingSettings settings) {
    Chunker chunker = new Chunker(model::countTokens);
    List<Piece> chunks = new ArrayList<>();
    for (BeirDataset.Document document : data.documents()) {
      List<Chunk> cut = chunker.chunk(document.markdown(), Language.MARKDOWN, settings);
      for (int position = 0; position < cut.size(); position++) {
        chunks.add(
            new Piece(
                document.id() + "#" + position,
                document.id(),
                position,
                cut.get(position).text(),
                cut.get(position).headingPath(),
                Chunk.withContext(
                    cut.get(position).text(),
                    position,
                    cut.get(position).headingPath(),
                    model::countTokens,
                    model.info().maxTokens())));
      }
    }
    return new ChunkedCorpus(List.copyOf(chunks));
  }

  /** The texts the indexer embeds without chunk context, in chunk order. */
  public List<String> texts() {
    return chunks.stream().map(Piece::text).toList();
  }

  /** The texts the indexer embeds with chunk context (new indexes), in chunk order. */
  List<String> contextTexts() {
    return chunks.stream().map(Piece::contextText).toList();
  }

  /** The document a chunk id belongs to. */
  static String documentOf(String chunkId) {
    return chunkId.substring(0, chunkId.lastIndexOf('#'));
  }
}
