package dev.agentbrain.storage.postgres;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * A condition on which query terms a chunk holds, written as a {@code tsquery} so that the GIN
 * index on {@code text_search} finds the chunks that meet it. {@link #atLeast} makes the condition
 * that lets keyword search skip chunks which cannot reach a score: MaxScore's pruning, evaluated by
 * the GIN index instead of term by term.
 */
sealed interface TermCondition {

  /**
   * Nodes an {@link #atLeast} condition may grow to before its lightest terms are left out of it;
   * the GIN index evaluates the condition once per chunk that holds any of its terms.
   */
  int MAX_NODES = 100;

  /** A term with the most it can add to a chunk's score. */
  record Bound(String lexeme, double bound) {}

  /** Whether a chunk holding these lexemes (and possibly others) meets the condition. */
  boolean matches(Set<String> lexemes);

  /** The condition as {@code tsquery} text, each lexeme quoted as it is. */
  String tsquery();

  /** The chunk holds the lexeme. */
  record Term(String lexeme) implements TermCondition {
    @Override
    public boolean matches(Set<String> lexemes) {
      return lexemes.contains(lexeme);
    }

    @Override
    public String tsquery() {
      return "'" + lexeme.replace("\\", "\\\\").replace("'", "''") + "'";
    }
  }

  /** Both hold. */
  record And(TermCondition left, TermCondition right) implements TermCondition {
    @Override
    public boolean matches(Set<String> lexemes) {
      return left.matches(lexemes) && right.matches(lexemes);
    }

    @Override
    public String tsquery() {
      return "(" + left.tsquery() + " & " + right.tsquery() + ")";
    }
  }

  /** Either holds. */
  record Or(TermCondition left, TermCondition right) implements TermCondition {
    @Override
    public boolean matches(Set<String> lexemes) {
      return left.matches(lexemes) || right.matches(lexemes);
    }

    @Override
    public String tsquery() {
      return "(" + left.tsquery() + " | " + right.tsquery() + ")";
    }
  }

  /** The chunk holds any of the terms: every chunk that has a keyword score at all. */
  static TermCondition anyOf(List<Bound> terms) {
    if (terms.isEmpty()) {
      throw new IllegalArgumentException("a condition needs at least one term");
    }
    TermCondition any = new Term(terms.getFirst().lexeme());
    for (Bound term : terms.subList(1, terms.size())) {
      any = new Or(any, new Term(term.lexeme()));
    }
    return any;
  }

  /**
   * A condition met by every chunk whose held terms' bounds sum to at least {@code threshold} (and
   * by some that fall short): a chunk it rejects scores below {@code threshold}.
   *
   * <p>Exact for the heaviest terms: the condition branches on each term, heaviest first, and stops
   * a branch once the terms taken reach the threshold or the rest cannot. When that tree would
   * exceed {@link #MAX_NODES}, the lightest terms are assumed held (their bounds are subtracted
   * from the threshold) and left out, which only admits more chunks.
   *
   * @param terms every query term with its bound, at least one; bounds at least 0
   * @return {@link #anyOf} when nothing narrower is possible
   */
  static TermCondition atLeast(List<Bound> terms, double threshold) {
    List<Bound> heaviest = new ArrayList<>(terms);
    heaviest.sort(Comparator.comparingDouble(Bound::bound).reversed().thenComparing(Bound::lexeme));
    // a score computed in another order can differ from the summed bounds in the last bits
    double need = threshold - Math.abs(threshold) * 1e-9 - 1e-12;
    for (int kept = heaviest.size(); kept > 0; kept--) {
      List<Bound> branched = heaviest.subList(0, kept);
      double assumed =
          heaviest.subList(kept, heaviest.size()).stream().mapToDouble(Bound::bound).sum();
      Builder builder = new Builder(branched);
      TermCondition condition = builder.reach(0, need - assumed);
      if (condition != null && builder.nodes <= MAX_NODES) {
        // ALWAYS: nothing narrower than any term; NEVER: the threshold is out of reach, and any
        // term is a safe superset of nothing
        return condition == Builder.ALWAYS || condition == Builder.NEVER ? anyOf(terms) : condition;
      }
    }
    return anyOf(terms);
  }

  /** Builds the branching tree of {@link #atLeast}, counting nodes to give up when too big. */
  final class Builder {
    /** Met by every chunk, or by none: markers while building, never returned as such. */
    static final TermCondition ALWAYS = new Term("");

    static final TermCondition NEVER = new Term("\u0000");

    private final List<Bound> terms;
    private final double[] remaining;
    private int nodes;

    private Builder(List<Bound> terms) {
      this.terms = terms;
      this.remaining = new double[terms.size() + 1];
      for (int i = terms.size() - 1; i >= 0; i--) {
        remaining[i] = remaining[i + 1] + terms.get(i).bound();
      }
    }

    /**
     * The condition that terms {@code from}... reach {@code need}; {@code null} when the tree grew
     * past {@link #MAX_NODES}.
     */
    private TermCondition reach(int from, double need) {
      if (need <= 0) {
        return ALWAYS;
      }
      if (remaining[from] < need) {
        return NEVER;
      }
      if (++nodes > MAX_NODES) {
        return null;
      }
      Bound term = terms.get(from);
      TermCondition taken = reach(from + 1, need - term.bound());
      if (taken == null) {
        return null;
      }
      TermCondition skipped = reach(from + 1, need);
      if (skipped == null) {
        return null;
      }
      TermCondition holding =
          taken == ALWAYS
              ? new Term(term.lexeme())
              : taken == NEVER ? NEVER : new And(new Term(term.lexeme()), taken);
      if (skipped == NEVER) {
        return holding;
      }
      if (holding == NEVER || skipped == ALWAYS) {
        return skipped;
      }
      return new Or(holding, skipped);
    }
  }
}
