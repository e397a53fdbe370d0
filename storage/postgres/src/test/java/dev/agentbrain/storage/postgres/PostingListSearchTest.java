package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentbrain.storage.Bm25;
import dev.agentbrain.storage.postgres.PostingListSearch.Candidate;
import dev.agentbrain.storage.postgres.PostingListSearch.Posting;
import dev.agentbrain.storage.postgres.PostingListSearch.Read;
import dev.agentbrain.storage.postgres.PostingListSearch.Term;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link PostingListSearch} against scoring every chunk, on random corpora with Zipf-like term
 * frequencies, repeated chunks (exact ties) and filters.
 */
class PostingListSearchTest {

  private static final Bm25 BM25 = Bm25.STANDARD;

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  @DisplayName("finds every chunk of the exact top k, tied ones included, reading only list fronts")
  void equalsExhaustiveTopK(long seed) throws Exception {
    Random random = new Random(seed);
    Corpus corpus = Corpus.random(random, 6_000, 400);
    long read = 0;
    long total = 0;
    for (int query = 0; query < 20; query++) {
      List<String> lexemes = new ArrayList<>();
      int length = 1 + random.nextInt(12);
      for (int i = 0; i < length; i++) {
        lexemes.add("t" + (int) Math.floor(Math.pow(400, random.nextDouble())));
      }
      for (int topK : new int[] {1, 10, 100}) {
        Predicate<String> filter =
            query % 3 == 0
                ? id -> id.hashCode() % 4 == 0
                : query % 3 == 1 ? id -> true : id -> id.endsWith("7");
        List<Term> terms = corpus.terms(lexemes);
        if (terms.isEmpty()) {
          continue;
        }
        Lists lists = new Lists(corpus, terms, filter);
        PostingListSearch search =
            new PostingListSearch(terms, BM25, corpus.averageLength(), lists, topK);
        List<Candidate> found = search.candidates();
        Map<String, Double> exact = corpus.scores(terms, filter);
        List<Map.Entry<String, Double>> ranking =
            exact.entrySet().stream()
                .sorted(
                    Map.Entry.<String, Double>comparingByValue()
                        .reversed()
                        .thenComparing(Map.Entry.comparingByKey()))
                .toList();
        String what = "seed %d query %d top %d".formatted(seed, query, topK);
        Set<String> candidateIds = new HashSet<>();
        for (Candidate candidate : found) {
          candidateIds.add(candidate.chunkId());
          assertThat(candidate.score())
              .as(what)
              .isCloseTo(exact.get(candidate.chunkId()), within(1e-9));
        }
        List<Map.Entry<String, Double>> top = ranking.subList(0, Math.min(topK, ranking.size()));
        // every chunk of the top k, and every chunk tied with its last
        for (Map.Entry<String, Double> entry : ranking) {
          if (top.contains(entry) || entry.getValue() >= top.getLast().getValue()) {
            assertThat(candidateIds).as(what).contains(entry.getKey());
          }
        }
        if (topK == 10 && query % 3 == 1) {
          read += lists.postingsRead;
          total += lists.total;
        }
      }
    }
    assertThat(read)
        .as("postings read of all, top 10, unfiltered: reads stop early")
        .isLessThan(total * 3 / 4);
  }

  /** Chunks as term frequencies; every tenth chunk is a copy of another (ties). */
  private record Corpus(Map<String, Map<String, Integer>> chunks, Map<String, Integer> lengths) {

    static Corpus random(Random random, int size, int vocabulary) {
      Map<String, Map<String, Integer>> chunks = new HashMap<>();
      Map<String, Integer> lengths = new HashMap<>();
      List<String> ids = new ArrayList<>();
      for (int c = 0; c < size; c++) {
        String id = "c" + c;
        Map<String, Integer> terms = new HashMap<>();
        if (c % 10 == 9) {
          terms = chunks.get(ids.get(random.nextInt(ids.size())));
        } else {
          int length = 1 + random.nextInt(random.nextBoolean() ? 20 : 200);
          for (int i = 0; i < length; i++) {
            terms.merge(
                "t" + (int) Math.floor(Math.pow(vocabulary, random.nextDouble())), 1, Integer::sum);
          }
        }
        chunks.put(id, terms);
        lengths.put(id, terms.values().stream().mapToInt(Integer::intValue).sum());
        ids.add(id);
      }
      return new Corpus(chunks, lengths);
    }

    double averageLength() {
      return Math.max(1, lengths.values().stream().mapToInt(Integer::intValue).average().orElse(1));
    }

    List<Term> terms(List<String> lexemes) {
      Map<String, Integer> queryCounts = new HashMap<>();
      lexemes.forEach(lexeme -> queryCounts.merge(lexeme, 1, Integer::sum));
      List<Term> terms = new ArrayList<>();
      for (Map.Entry<String, Integer> entry : queryCounts.entrySet()) {
        long df = chunks.values().stream().filter(t -> t.containsKey(entry.getKey())).count();
        if (df > 0) {
          terms.add(new Term(entry.getKey(), entry.getValue() * Bm25.idf(chunks.size(), df), df));
        }
      }
      return terms;
    }

    Map<String, Double> scores(List<Term> terms, Predicate<String> filter) {
      Map<String, Double> scores = new HashMap<>();
      double averageLength = averageLength();
      chunks.forEach(
          (id, held) -> {
            if (!filter.test(id)) {
              return;
            }
            double score = 0;
            boolean any = false;
            for (Term term : terms) {
              Integer tf = held.get(term.lexeme());
              if (tf != null) {
                any = true;
                score += term.weight() * BM25.termWeight(tf, lengths.get(id), averageLength);
              }
            }
            if (any) {
              scores.put(id, score);
            }
          });
      return scores;
    }
  }

  /** The corpus's posting lists in the database's order: density falling, then chunk id falling. */
  private static final class Lists implements PostingListSearch.Postings {
    final Corpus corpus;
    final List<Term> terms;
    final Predicate<String> filter;
    final Map<String, List<Posting>> lists = new HashMap<>();
    int postingsRead;
    int total;

    Lists(Corpus corpus, List<Term> terms, Predicate<String> filter) {
      this.corpus = corpus;
      this.terms = terms;
      this.filter = filter;
      for (Term term : terms) {
        List<Posting> list = new ArrayList<>();
        corpus.chunks.forEach(
            (id, held) -> {
              Integer tf = held.get(term.lexeme());
              if (tf != null) {
                int length = corpus.lengths.get(id);
                list.add(new Posting(id, tf, length, tf / (double) Math.max(length, 1)));
              }
            });
        list.sort(
            Comparator.comparingDouble(Posting::density)
                .thenComparing(Posting::chunkId)
                .reversed());
        lists.put(term.lexeme(), list);
        total += list.size();
      }
    }

    @Override
    public List<List<Posting>> read(List<Read> reads) {
      List<List<Posting>> found = new ArrayList<>();
      for (Read read : reads) {
        List<Posting> list = lists.get(terms.get(read.term()).lexeme());
        // the first posting that follows the read's position: binary search on the list's order
        int low = 0;
        int high = list.size();
        while (low < high) {
          int middle = (low + high) >>> 1;
          Posting posting = list.get(middle);
          boolean follows =
              posting.density() < read.density()
                  || posting.density() == read.density()
                      && posting.chunkId().compareTo(read.chunkId()) < 0;
          if (follows) {
            high = middle;
          } else {
            low = middle + 1;
          }
        }
        List<Posting> after =
            new ArrayList<>(list.subList(low, Math.min(list.size(), low + read.size())));
        postingsRead += after.size();
        found.add(after);
      }
      return found;
    }

    @Override
    public Map<String, Map<String, Posting>> lookUp(Collection<String> chunkIds) {
      Map<String, Map<String, Posting>> found = new HashMap<>();
      for (String id : chunkIds) {
        for (Term term : terms) {
          Integer tf = corpus.chunks.get(id).get(term.lexeme());
          if (tf != null) {
            int length = corpus.lengths.get(id);
            found
                .computeIfAbsent(id, k -> new HashMap<>())
                .put(term.lexeme(), new Posting(id, tf, length, tf / (double) length));
          }
        }
      }
      return found;
    }

    @Override
    public Set<String> failing(Collection<String> chunkIds) {
      Set<String> failing = new HashSet<>();
      chunkIds.stream().filter(filter.negate()).forEach(failing::add);
      return failing;
    }
  }
}
