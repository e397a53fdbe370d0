package dev.agentbrain.storage.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.storage.postgres.TermCondition.Bound;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class TermConditionTest {

  @Test
  @DisplayName("every set of terms whose bounds reach the threshold meets the condition")
  void noChunkThatCanReachTheThresholdIsLeftOut() {
    Random random = new Random(14);
    for (int round = 0; round < 300; round++) {
      int size = 1 + random.nextInt(14);
      List<Bound> terms = new ArrayList<>();
      for (int i = 0; i < size; i++) {
        terms.add(new Bound("t" + i, random.nextDouble() * 15));
      }
      double total = terms.stream().mapToDouble(Bound::bound).sum();
      double threshold = total * random.nextDouble();
      TermCondition condition = TermCondition.atLeast(terms, threshold);
      for (int subset = 0; subset < 1 << Math.min(size, 12); subset++) {
        Set<String> held = new HashSet<>();
        double reach = 0;
        for (int i = 0; i < Math.min(size, 12); i++) {
          if ((subset & 1 << i) != 0) {
            held.add(terms.get(i).lexeme());
            reach += terms.get(i).bound();
          }
        }
        if (reach >= threshold) {
          assertThat(condition.matches(held))
              .as("%s reach %s of %s", held, reach, threshold)
              .isTrue();
        }
      }
    }
  }

  @Test
  @DisplayName("a high threshold leaves out chunks holding only light terms")
  void lightTermsAloneDoNotQualify() {
    List<Bound> terms =
        List.of(
            new Bound("rare", 10),
            new Bound("uncommon", 6),
            new Bound("the", 1),
            new Bound("a", 1));

    TermCondition condition = TermCondition.atLeast(terms, 8);

    assertThat(condition.matches(Set.of("the", "a"))).isFalse();
    assertThat(condition.matches(Set.of("uncommon", "the"))).isFalse();
    assertThat(condition.matches(Set.of("uncommon", "the", "a"))).isTrue();
    assertThat(condition.matches(Set.of("rare"))).isTrue();
  }

  @Test
  @DisplayName("a large query stays within the node budget and still admits every qualifying chunk")
  void largeQueriesStayBounded() {
    List<Bound> terms = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      terms.add(new Bound("t" + i, 5 + (i % 7)));
    }
    TermCondition condition = TermCondition.atLeast(terms, 60);

    assertThat(condition.tsquery().split("'").length / 2).isLessThan(4 * TermCondition.MAX_NODES);
    Set<String> heavy = new HashSet<>();
    for (int i = 0; i < 40; i++) {
      heavy.add("t" + i);
    }
    assertThat(condition.matches(heavy)).isTrue();
  }

  @Test
  @DisplayName("lexemes with quotes and backslashes are quoted for tsquery")
  void quoting() {
    assertThat(new TermCondition.Term("it's\\").tsquery()).isEqualTo("'it''s\\\\'");
  }
}
