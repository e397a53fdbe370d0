package dev.agentbrain.bench.eval;

import dev.agentbrain.storage.Filter;
import dev.agentbrain.storage.KeywordQuery;
import dev.agentbrain.storage.Retriever;
import dev.agentbrain.storage.SearchHit;
import dev.agentbrain.storage.postgres.PostgresStore;
import dev.agentbrain.testing.BeirDataset;
import dev.agentbrain.testing.RankingMetrics;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * How exact a backend's keyword search is, in {@code make eval}'s terms (issue 14): on a split's
 * judged queries, the mean top-10 overlap between the ranking the backend serves and the exhaustive
 * ranking (every chunk that holds a query term scored), and nDCG@10 of both, from the documents of
 * a top_k 100 search, each at the rank of its best chunk.
 *
 * <p>PostgreSQL reads posting lists best first and stops early, and its exhaustive ranking comes
 * from {@link PostgresStore#keywordSearchExhaustive}. The Lucene index of the Chroma backend scores
 * every match already, so its reference is a second run of the same search: the overlap is still
 * computed, and 1.0 there says the search is deterministic, nothing more.
 */
public final class KeywordExactness {

  private static final int TOP_K = 100;
  private static final int OVERLAP_AT = 10;
  private static final int NDCG_AT = 10;

  private KeywordExactness() {}

  /**
   * One backend's exactness on one split.
   *
   * @param backend the backend's name
   * @param reference what the exhaustive ranking came from
   * @param queries how many queries were compared
   * @param meanOverlap top-10 overlap of served and exhaustive chunk ids, mean over the queries
   * @param identical queries whose served top 10 equals the exhaustive one, in order
   * @param ndcg nDCG@10 of the served ranking, mean over the queries
   * @param exhaustiveNdcg nDCG@10 of the exhaustive ranking, mean over the queries
   */
  public record Result(
      String backend,
      String reference,
      int queries,
      double meanOverlap,
      int identical,
      double ndcg,
      double exhaustiveNdcg) {

    /** One line for the console and the Markdown report. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "%s bm25 against %s, %d queries: top-10 overlap %.4f (identical %d), nDCG@10 %.4f"
              + " served, %.4f exhaustive (difference %+.4f)",
          backend,
          reference,
          queries,
          meanOverlap,
          identical,
          ndcg,
          exhaustiveNdcg,
          ndcg - exhaustiveNdcg);
    }
  }

  /**
   * Measures the keyword search of {@code retriever} on index {@code physicalName}, which holds
   * {@code split}'s corpus as {@link ChunkedCorpus} cuts it (chunk ids {@code <document id>#<n>}).
   */
  public static Result measure(
      String backend, Retriever retriever, String physicalName, BeirDataset split) {
    Function<KeywordQuery, List<SearchHit>> served =
        query -> retriever.keywordSearch(physicalName, query);
    if (retriever instanceof PostgresStore postgres) {
      return compare(
          backend,
          "PostgresStore.keywordSearchExhaustive",
          served,
          query -> postgres.keywordSearchExhaustive(physicalName, query),
          split);
    }
    return compare(backend, "the same search (no pruning)", served, served, split);
  }

  /** Compares two keyword rankings on every judged query of the split. */
  static Result compare(
      String backend,
      String reference,
      Function<KeywordQuery, List<SearchHit>> served,
      Function<KeywordQuery, List<SearchHit>> exhaustive,
      BeirDataset split) {
    double overlap = 0;
    int identical = 0;
    double ndcg = 0;
    double exhaustiveNdcg = 0;
    for (Map.Entry<String, String> query : split.queries().entrySet()) {
      KeywordQuery asked = new KeywordQuery(query.getValue(), TOP_K, Filter.ALL);
      List<SearchHit> a = served.apply(asked);
      List<SearchHit> b = exhaustive.apply(asked);
      overlap += overlap(top(a), top(b));
      identical += top(a).equals(top(b)) ? 1 : 0;
      Map<String, Integer> grades = split.judgments().get(query.getKey());
      ndcg += RankingMetrics.ndcg(documents(a), grades, NDCG_AT);
      exhaustiveNdcg += RankingMetrics.ndcg(documents(b), grades, NDCG_AT);
    }
    int n = split.queries().size();
    return new Result(
        backend,
        reference,
        n,
        n == 0 ? 1 : overlap / n,
        identical,
        n == 0 ? 0 : ndcg / n,
        n == 0 ? 0 : exhaustiveNdcg / n);
  }

  /** The first ten chunk ids. */
  private static List<String> top(List<SearchHit> hits) {
    return hits.stream().limit(OVERLAP_AT).map(hit -> hit.chunk().chunkId()).toList();
  }

  /**
   * Shared ids over the longer list's length, 1 when both are empty (the top-k overlap of the
   * shadow report).
   */
  private static double overlap(List<String> a, List<String> b) {
    if (a.isEmpty() && b.isEmpty()) {
      return 1;
    }
    Set<String> shared = new HashSet<>(a);
    shared.retainAll(b);
    return (double) shared.size() / Math.max(a.size(), b.size());
  }

  /** The documents of the hits, best first, each at the rank of its best chunk. */
  private static List<String> documents(List<SearchHit> hits) {
    return hits.stream()
        .map(hit -> ChunkedCorpus.documentOf(hit.chunk().chunkId()))
        .distinct()
        .toList();
  }
}
