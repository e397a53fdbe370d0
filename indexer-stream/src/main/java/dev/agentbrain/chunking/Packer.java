package dev.agentbrain.chunking;

import dev.agentbrain.chunking.Piece.OverlapFrom;
import java.util.ArrayList;
import java.util.List;

/**
 * Packs consecutive pieces into chunks. A chunk holds pieces of one section while they fit; a chunk
 * still below the minimum runs on into the next section. A chunk that goes on cutting the same
 * section as the one before starts with about {@code overlapTokens} of that one's end. Every chunk
 * is counted once whole, so the limit holds even where a tokenizer does not add up over pieces.
 */
final class Packer {

  // how far back (in chars per overlap token) an overlap start is looked for
  private static final int CHARS_PER_TOKEN_AT_MOST = 8;

  private final String text;
  private final List<Section> sections;
  private final List<Piece> pieces;
  private final TokenCounter counter;
  private final int maxTokens;
  private final int overlapTokens;
  private final int minTokens;

  Packer(
      String text,
      List<Section> sections,
      List<Piece> pieces,
      TokenCounter counter,
      ChunkingSettings settings) {
    this.text = text;
    this.sections = sections;
    this.pieces = pieces;
    this.counter = counter;
    this.maxTokens = settings.maxTokens();
    this.overlapTokens = settings.overlapTokens();
    this.minTokens = settings.minTokens();
  }

  /** A run of pieces [first, last], preceded by an overlap when {@code start} lies before first. */
  private record Draft(int start, int first, int last, int tokens) {}

  List<Chunk> pack() {
    List<Draft> done = new ArrayList<>();
    Draft current = null;
    int next = 0;
    while (current != null || next < pieces.size()) {
      if (current == null) {
        current = open(next, done.isEmpty() ? null : done.getLast());
        next++;
      } else if (next < pieces.size() && fitsInto(current, pieces.get(next))) {
        current =
            new Draft(
                current.start(),
                current.first(),
                next,
                current.tokens() + pieces.get(next).tokens());
        next++;
      } else {
        Draft counted = counted(current);
        done.add(counted);
        next = counted.last() + 1;
        current = null;
      }
    }
    mergeSmallLast(done);
    List<Chunk> chunks = new ArrayList<>(done.size());
    for (Draft draft : done) {
      int end = pieces.get(draft.last()).end();
      chunks.add(
          new Chunk(
              text.substring(draft.start(), end),
              chunks.size(),
              headingPath(draft),
              draft.start(),
              end,
              draft.tokens()));
    }
    return chunks;
  }

  private boolean fitsInto(Draft draft, Piece piece) {
    boolean sameSection = piece.section() == pieces.get(draft.last()).section();
    return draft.tokens() + piece.tokens() <= maxTokens
        && (sameSection || draft.tokens() < minTokens);
  }

  /** A draft starting at piece {@code index}, with an overlap if it goes on cutting a section. */
  private Draft open(int index, Draft previous) {
    Piece piece = pieces.get(index);
    if (previous != null
        && overlapTokens > 0
        && previous.last() == index - 1
        && pieces.get(previous.last()).section() == piece.section()) {
      Overlap overlap = overlap(previous, piece);
      if (overlap != null) {
        return new Draft(overlap.start(), index, index, overlap.tokens() + piece.tokens());
      }
    }
    return new Draft(piece.start(), index, index, piece.tokens());
  }

  /**
   * The draft with its real token count; if that is over the limit (a tokenizer that does not add
   * up over pieces), it drops its overlap, then its last pieces, until it fits.
   */
  private Draft counted(Draft draft) {
    Draft candidate = draft;
    while (true) {
      int tokens = count(candidate.start(), pieces.get(candidate.last()).end());
      if (tokens <= maxTokens) {
        return new Draft(candidate.start(), candidate.first(), candidate.last(), tokens);
      }
      int firstStart = pieces.get(candidate.first()).start();
      if (candidate.start() < firstStart) {
        candidate = new Draft(firstStart, candidate.first(), candidate.last(), 0);
      } else if (candidate.last() > candidate.first()) {
        candidate = new Draft(candidate.start(), candidate.first(), candidate.last() - 1, 0);
      } else {
        throw new IllegalStateException(
            "a piece of %d tokens exceeds the chunk limit of %d although it was counted to fit"
                .formatted(tokens, maxTokens));
      }
    }
  }

  /** A last chunk below the minimum joins the one before it, if the two fit together. */
  private void mergeSmallLast(List<Draft> done) {
    if (done.size() < 2 || done.getLast().tokens() >= minTokens) {
      return;
    }
    Draft last = done.getLast();
    Draft before = done.get(done.size() - 2);
    int tokens = count(before.start(), pieces.get(last.last()).end());
    if (tokens <= maxTokens) {
      done.removeLast();
      done.set(done.size() - 1, new Draft(before.start(), before.first(), last.last(), tokens));
    }
  }

  private record Overlap(int start, int tokens) {}

  /**
   * The longest end of {@code previous}, at most {@code overlapTokens} and leaving room for {@code
   * next}, that starts at a sentence or line start; at a word start if no such start gives half of
   * that. None if the end of {@code previous} may not be cut (a fenced code block).
   */
  private Overlap overlap(Draft previous, Piece next) {
    int budget = Math.min(overlapTokens, maxTokens - next.tokens());
    if (budget < Math.max(1, overlapTokens / 4)) {
      return null;
    }
    int end = pieces.get(previous.last()).end();
    int floor = Math.max(previous.start() + 1, end - budget * CHARS_PER_TOKEN_AT_MOST);
    List<Integer> starts = new ArrayList<>();
    int regionStart = end;
    for (int k = previous.last(); k >= previous.first(); k--) {
      Piece piece = pieces.get(k);
      if (piece.overlapFrom() == OverlapFrom.NONE) {
        break;
      }
      List<Span> units =
          piece.overlapFrom() == OverlapFrom.LINE
              ? Boundaries.lines(text, piece.start(), piece.end())
              : Boundaries.sentences(text, piece.start(), piece.end());
      for (int u = units.size() - 1; u >= 0; u--) {
        if (units.get(u).start() >= floor) {
          starts.addFirst(units.get(u).start());
        }
      }
      regionStart = Math.max(piece.start(), floor);
      if (piece.start() <= floor) {
        break;
      }
    }
    Overlap best = longestFitting(starts, end, budget);
    if (best == null || best.tokens() < budget / 2) {
      int wordsFrom = regionStart;
      // the first run may be the tail of a word cut by the floor
      List<Integer> wordStarts =
          Boundaries.words(text, wordsFrom, end).stream()
              .map(Span::start)
              .filter(s -> s != wordsFrom || isWordStart(s))
              .toList();
      Overlap byWords = longestFitting(wordStarts, end, budget);
      if (byWords != null && (best == null || byWords.tokens() > best.tokens())) {
        best = byWords;
      }
    }
    return best;
  }

  /** The earliest of ascending {@code starts} whose text up to {@code end} fits {@code budget}. */
  private Overlap longestFitting(List<Integer> starts, int end, int budget) {
    int low = 0;
    int high = starts.size();
    Overlap found = null;
    while (low < high) {
      int middle = (low + high) >>> 1;
      int tokens = count(starts.get(middle), end);
      if (tokens <= budget) {
        found = tokens > 0 ? new Overlap(starts.get(middle), tokens) : found;
        high = middle;
      } else {
        low = middle + 1;
      }
    }
    return found;
  }

  private boolean isWordStart(int index) {
    return index == 0 || Character.isWhitespace(text.charAt(index - 1));
  }

  /**
   * The headings shared by the sections that make up the chunk. Sections without a heading (such as
   * front matter) and sections with fewer than {@code minTokens} in the chunk (such as a heading
   * alone, merged into its first subsection) do not count, unless nothing else is left.
   */
  private String headingPath(Draft draft) {
    List<List<String>> substantial = new ArrayList<>();
    List<List<String>> all = new ArrayList<>();
    int k = draft.first();
    while (k <= draft.last()) {
      int section = pieces.get(k).section();
      int tokens = 0;
      for (; k <= draft.last() && pieces.get(k).section() == section; k++) {
        tokens += pieces.get(k).tokens();
      }
      List<String> path = sections.get(section).path();
      if (!path.isEmpty()) {
        all.add(path);
        if (tokens >= minTokens) {
          substantial.add(path);
        }
      }
    }
    return String.join(" > ", commonPrefix(substantial.isEmpty() ? all : substantial));
  }

  private static List<String> commonPrefix(List<List<String>> paths) {
    if (paths.isEmpty()) {
      return List.of();
    }
    List<String> common = paths.getFirst();
    for (List<String> path : paths) {
      int shared = 0;
      while (shared < common.size()
          && shared < path.size()
          && common.get(shared).equals(path.get(shared))) {
        shared++;
      }
      common = common.subList(0, shared);
    }
    return common;
  }

  private int count(int start, int end) {
    return counter.count(text.substring(start, end));
  }
}
