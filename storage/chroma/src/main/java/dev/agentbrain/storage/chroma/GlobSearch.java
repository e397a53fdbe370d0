package dev.agentbrain.storage.chroma;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.Similarity;
import dev.agentbrain.storage.VectorQuery;
import java.util.ArrayList;
import java.util.List;

/**
 * Searching and counting with a path glob, which Chroma has no operator for: Chroma selects by the
 * rest of the filter ({@link ChromaWhere}) and the glob is checked here on what it returns. A
 * vector search first over-fetches {@value #OVERFETCH} times topK nearest records; when a glob is
 * so selective that too few of those pass, it falls back to {@link #kept checking} every selected
 * record's metadata and {@link #best scoring} the records the glob keeps here from their vectors,
 * by cosine similarity as Chroma scores them.
 *
 * <p>Reads go through {@link Pages} and {@link Vectors}, so the algorithm runs without a server.
 */
final class GlobSearch {

  /** First over-fetch of a vector search with a path glob, as a multiple of topK. */
  static final int OVERFETCH = 10;

  /** Records fetched per request, with their vectors, when the records are scored here. */
  static final int SCAN_FETCH = 500;

  /** Reads the records the rest of the filter selects, with their metadata only. */
  @FunctionalInterface
  interface Pages {
    /** Up to a page of records, from {@code offset} on; a short page is the last one. */
    List<ChromaClient.Record> read(int offset);
  }

  /** Reads records with their vectors. */
  @FunctionalInterface
  interface Vectors {
    /** The records of these ids that readers may see (at most {@value #SCAN_FETCH} ids a call). */
    List<ChromaClient.Record> read(List<String> ids);
  }

  private GlobSearch() {}

  /**
   * How many nearest records the first query of a glob search asks for: {@value #OVERFETCH} times
   * topK, but no more than can be reached.
   */
  static int firstAsk(int topK, long reachable) {
    return (int) Math.min(reachable, (long) topK * OVERFETCH);
  }

  /**
   * The ids of the selected records that {@code filter} (glob included) keeps, checked on each
   * record's metadata, reading pages of {@code pageSize} until a shorter one.
   */
  static List<String> kept(Filter filter, int pageSize, Pages pages) {
    List<String> kept = new ArrayList<>();
    int offset = 0;
    List<ChromaClient.Record> page;
    do {
      page = pages.read(offset);
      for (ChromaClient.Record record : page) {
        if (filter.matches(
            ChunkMetadata.chunk(
                record.id(), record.document(), record.metadata(), record.embedding()))) {
          kept.add(record.id());
        }
      }
      offset += page.size();
    } while (page.size() == pageSize);
    return kept;
  }

  /**
   * The best topK of the records of {@code ids} by cosine similarity to the query vector, those
   * below its threshold left out, best first (equal scores by chunk id); the hits carry no vector.
   */
  static List<SearchHit> best(VectorQuery query, List<String> ids, Vectors vectors) {
    List<SearchHit> hits = new ArrayList<>();
    for (int start = 0; start < ids.size(); start += SCAN_FETCH) {
      for (ChromaClient.Record record :
          vectors.read(ids.subList(start, Math.min(ids.size(), start + SCAN_FETCH)))) {
        double score =
            Similarity.fromCosineDistance(
                1 - Similarity.cosine(query.vector(), record.embedding()));
        if (Similarity.passes(score, query.similarityThreshold())) {
          hits.add(
              new SearchHit(
                  ChunkMetadata.chunk(
                      record.id(), record.document(), record.metadata(), new float[0]),
                  score));
        }
      }
    }
    hits.sort(SearchHit.BEST_FIRST);
    return List.copyOf(hits.subList(0, Math.min(query.topK(), hits.size())));
  }
}
