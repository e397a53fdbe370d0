package dev.agentbrain.storage.postgres;

import dev.agentbrain.storage.Bm25;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds the chunks that can be in the exact top k by BM25 while reading only the front of each
 * query term's posting list, the lists ordered by falling density (term frequency / length).
 *
 * <p>After each read, a term whose list is not finished can add at most {@link #unread} to any
 * chunk not yet read from it ({@link Bm25#densityBound} of the last density read). A chunk's score
 * so far is a lower bound; adding the unread bounds of the terms it has not been seen with gives an
 * upper bound. With {@code theta} the k-th best lower bound: when the unread bounds of all terms
 * sum below {@code theta}, no chunk not yet seen can reach the top k; every seen chunk whose upper
 * bound reaches {@code theta} is then resolved (its frequencies of all query terms looked up),
 * until none is left open. Lists are read deeper, heaviest bound first, while the unread bounds
 * reach {@code theta}, or while more than {@link #LOOK_UP_AT_MOST} chunks are open. Chunks that
 * fail the query's filter are dropped when first seen.
 *
 * <p>This is the threshold algorithm of Fagin, Lotem and Naor, with Lucene's MaxScore idea of
 * bounding what a term can add; the result is exact, not approximate: {@link #candidates} holds
 * every chunk of the true top k (ties at the k-th score included), each with its exact score.
 */
final class PostingListSearch {

  /** Postings read from a list the first time, unless the whole list is shorter. */
  static final int FIRST_READ = 256;

  /** Lists at most this long are read whole the first time. */
  static final int WHOLE_LIST = 1024;

  /**
   * Open chunks above which lists are read further instead of looking the chunks up: at 100k chunks
   * a look-up cost about 40 µs and reading a posting about 1 µs (SciFact replicated, make
   * bench-scale's index); of 64, 256 and no limit, 256 was fastest (p50 53 ms against 105 and 79).
   */
  static final int LOOK_UP_AT_MOST = 256;

  /** A query term: its BM25 weight ({@code queryCount * idf}) and how many chunks hold it. */
  record Term(String lexeme, double weight, long documentFrequency) {}

  /** One entry of a term's list, or one looked-up frequency. */
  record Posting(String chunkId, int tf, int length, double density) {}

  /**
   * The next {@code size} postings of term {@code term} after ({@code density}, {@code chunkId}).
   */
  record Read(int term, double density, String chunkId, int size) {}

  /** Where the postings come from: the database in one snapshot, or a test's lists. */
  interface Postings {
    /** For each read, in order, the postings that follow its position in the term's list. */
    List<List<Posting>> read(List<Read> reads) throws SQLException;

    /** For each of these chunks, its postings of the query's terms, by lexeme. */
    Map<String, Map<String, Posting>> lookUp(Collection<String> chunkIds) throws SQLException;

    /** Those of these chunks that fail the query's filter (none when there is no filter). */
    Set<String> failing(Collection<String> chunkIds) throws SQLException;
  }

  /** A chunk seen in some list. */
  private static final class Seen {
    final String chunkId;

    /** The terms whose lists it was read from, the first {@code heldCount} entries. */
    int[] held = new int[2];

    int heldCount;
    double score;
    boolean exact;

    /** Failed the filter: kept in the map only so that its later postings are skipped. */
    boolean dropped;

    Seen(String chunkId) {
      this.chunkId = chunkId;
    }

    void hold(int term) {
      if (heldCount == held.length) {
        held = Arrays.copyOf(held, held.length * 2);
      }
      held[heldCount++] = term;
    }
  }

  private final List<Term> terms;
  private final Bm25 bm25;
  private final double averageLength;
  private final Postings postings;
  private final int topK;
  private final double[] unread;
  private final double[] lastDensity;
  private final String[] lastChunk;
  private final int[] readSoFar;
  private final boolean[] finished;
  private final Map<String, Seen> seen = new HashMap<>();

  /** The chunks of {@link #seen}, to walk them faster than the map's nodes (most of a search). */
  private final List<Seen> walk = new ArrayList<>();

  PostingListSearch(
      List<Term> terms, Bm25 bm25, double averageLength, Postings postings, int topK) {
    this.terms = List.copyOf(terms);
    this.bm25 = bm25;
    this.averageLength = averageLength;
    this.postings = postings;
    this.topK = topK;
    int n = terms.size();
    this.unread = new double[n];
    this.lastDensity = new double[n];
    this.lastChunk = new String[n];
    this.readSoFar = new int[n];
    this.finished = new boolean[n];
    for (int t = 0; t < n; t++) {
      unread[t] = terms.get(t).weight() * (bm25.k1() + 1);
      lastDensity[t] = Double.POSITIVE_INFINITY;
      lastChunk[t] = "";
    }
  }

  /** A chunk that may be in the top k, with its exact score. */
  record Candidate(String chunkId, double score) {}

  /**
   * Every chunk whose exact score reaches the k-th best (within rounding), best first: the top k
   * and any chunks tied with its last.
   */
  List<Candidate> candidates() throws SQLException {
    List<Read> next = new ArrayList<>();
    for (int t = 0; t < terms.size(); t++) {
      long df = terms.get(t).documentFrequency();
      next.add(read(t, df <= WHOLE_LIST ? (int) df + 1 : FIRST_READ));
    }
    while (true) {
      if (!next.isEmpty()) {
        apply(next, postings.read(next));
      }
      double cut = reachable(theta());
      if (unreadSum() >= cut && !allFinished()) {
        next = deeper();
        continue;
      }
      next = List.of();
      List<Seen> open = open(cut);
      if (open.isEmpty()) {
        return walk.stream()
            .filter(chunk -> chunk.exact && chunk.score >= cut)
            .sorted(Comparator.comparingDouble((Seen chunk) -> chunk.score).reversed())
            .map(chunk -> new Candidate(chunk.chunkId, chunk.score))
            .toList();
      }
      if (open.size() > LOOK_UP_AT_MOST && !allFinished()) {
        next = deeper();
        continue;
      }
      // at most LOOK_UP_AT_MOST: with every list finished, every chunk is exact
      resolve(open);
    }
  }

  private Read read(int term, int size) {
    return new Read(term, lastDensity[term], lastChunk[term], size);
  }

  private void apply(List<Read> requested, List<List<Posting>> found) throws SQLException {
    List<String> fresh = new ArrayList<>();
    for (int i = 0; i < requested.size(); i++) {
      Read request = requested.get(i);
      int t = request.term();
      List<Posting> list = found.get(i);
      for (Posting posting : list) {
        Seen chunk = seen.get(posting.chunkId());
        if (chunk != null && chunk.dropped) {
          continue;
        }
        if (chunk == null) {
          chunk = new Seen(posting.chunkId());
          seen.put(posting.chunkId(), chunk);
          walk.add(chunk);
          fresh.add(posting.chunkId());
        }
        if (!chunk.exact) {
          chunk.hold(t);
          chunk.score += contribution(t, posting);
        }
      }
      readSoFar[t] += list.size();
      if (list.size() < request.size()) {
        finished[t] = true;
        unread[t] = 0;
      } else {
        Posting last = list.getLast();
        lastDensity[t] = last.density();
        lastChunk[t] = last.chunkId();
        // a stored density may be rounded down by a unit in the last place
        unread[t] =
            terms.get(t).weight() * bm25.densityBound(last.density(), averageLength) * (1 + 1e-9);
      }
    }
    if (!fresh.isEmpty()) {
      Set<String> failing = postings.failing(fresh);
      if (!failing.isEmpty()) {
        for (String chunkId : failing) {
          seen.get(chunkId).dropped = true;
        }
        // the chunks first seen in this read are the last of the walk
        walk.subList(walk.size() - fresh.size(), walk.size())
            .removeIf(chunk -> failing.contains(chunk.chunkId));
      }
    }
  }

  private double contribution(int term, Posting posting) {
    return terms.get(term).weight()
        * bm25.termWeight(posting.tf(), posting.length(), averageLength);
  }

  /** The k-th best score known to be reached (a lower bound), or -infinity with fewer chunks. */
  private double theta() {
    if (walk.size() < topK) {
      return Double.NEGATIVE_INFINITY;
    }
    // a min-heap of the best topK scores, in an array
    double[] best = new double[topK];
    int size = 0;
    for (Seen chunk : walk) {
      double score = chunk.score;
      if (size < topK) {
        int i = size++;
        while (i > 0 && best[(i - 1) / 2] > score) {
          best[i] = best[(i - 1) / 2];
          i = (i - 1) / 2;
        }
        best[i] = score;
      } else if (score > best[0]) {
        int i = 0;
        while (true) {
          int child = 2 * i + 1;
          if (child >= topK) {
            break;
          }
          if (child + 1 < topK && best[child + 1] < best[child]) {
            child++;
          }
          if (best[child] >= score) {
            break;
          }
          best[i] = best[child];
          i = child;
        }
        best[i] = score;
      }
    }
    return best[0];
  }

  /** The least score that may still be in the top k: theta, less what rounding can move. */
  private static double reachable(double theta) {
    return theta - Math.abs(theta) * 1e-9 - 1e-12;
  }

  private double unreadSum() {
    double sum = 0;
    for (double bound : unread) {
      sum += bound;
    }
    return sum;
  }

  private boolean allFinished() {
    for (boolean done : finished) {
      if (!done) {
        return false;
      }
    }
    return true;
  }

  /** Reads further into the lists with the heaviest unread bounds, twice as far as before. */
  private List<Read> deeper() {
    double heaviest = 0;
    for (int t = 0; t < terms.size(); t++) {
      heaviest = Math.max(heaviest, unread[t]);
    }
    List<Read> next = new ArrayList<>();
    for (int t = 0; t < terms.size(); t++) {
      if (!finished[t] && unread[t] >= heaviest / 2) {
        next.add(read(t, Math.max(FIRST_READ, readSoFar[t])));
      }
    }
    return next;
  }

  /**
   * Seen chunks not known exactly whose upper bound reaches {@code cut}; a chunk whose every
   * missing term's list is finished is exact as it stands.
   */
  private List<Seen> open(double cut) {
    double unreadSum = unreadSum();
    List<Seen> open = new ArrayList<>();
    for (Seen chunk : walk) {
      if (chunk.exact) {
        continue;
      }
      double missing = unreadSum;
      for (int i = 0; i < chunk.heldCount; i++) {
        missing -= unread[chunk.held[i]];
      }
      // what rounding leaves when every missing list is finished
      missing = missing < unreadSum * 1e-12 ? 0 : missing * (1 + 1e-12);
      if (missing == 0) {
        chunk.exact = true;
      } else if (chunk.score + missing >= cut) {
        open.add(chunk);
      }
    }
    return open;
  }

  /** Looks up the chunks' frequencies of every query term: their scores become exact. */
  private void resolve(List<Seen> chunks) throws SQLException {
    Map<String, Map<String, Posting>> found =
        postings.lookUp(chunks.stream().map(chunk -> chunk.chunkId).toList());
    for (Seen chunk : chunks) {
      Map<String, Posting> held = found.getOrDefault(chunk.chunkId, Map.of());
      double score = 0;
      for (int t = 0; t < terms.size(); t++) {
        Posting posting = held.get(terms.get(t).lexeme());
        if (posting != null) {
          score += contribution(t, posting);
        }
      }
      chunk.score = score;
      chunk.exact = true;
    }
  }
}
