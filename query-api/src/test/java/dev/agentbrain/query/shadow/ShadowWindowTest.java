package dev.agentbrain.query.shadow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShadowWindowTest {

  private static final Ranking ABC = new Ranking(List.of("a", "b", "c"), List.of(0.9, 0.8, 0.7), 2);

  private static QueryComparison compared(String query, String shadow, Ranking answer) {
    return compared(Instant.now(), query, shadow, answer);
  }

  private static QueryComparison compared(Instant at, String query, String shadow, Ranking answer) {
    return new QueryComparison(
        at,
        query,
        "docs",
        "vector",
        "postgres",
        shadow,
        ABC,
        Optional.of(answer),
        Optional.of(RankAgreement.of(ABC, answer)),
        Optional.empty());
  }

  private static QueryComparison failed(String query) {
    return new QueryComparison(
        Instant.now(),
        query,
        "docs",
        "bm25",
        "postgres",
        "chroma",
        ABC,
        Optional.empty(),
        Optional.empty(),
        Optional.of("down"));
  }

  @Test
  @DisplayName("the window keeps the newest comparisons, and the worst ones with failures first")
  void boundedWindowAndWorstFirst() {
    ShadowWindow window = new ShadowWindow(3, 2);
    window.add(compared("same", "chroma", ABC));
    window.add(compared("half", "chroma", new Ranking(List.of("a", "x"), List.of(0.9, 0.1), 4)));
    window.add(failed("broken"));
    window.add(compared("same again", "chroma", ABC));

    ShadowWindow.Summary summary = window.summary();
    assertThat(summary.comparisons()).isEqualTo(3);
    assertThat(summary.failed()).isEqualTo(1);
    assertThat(summary.errorRate()).isEqualTo(1.0 / 3);
    assertThat(window.worst()).extracting(QueryComparison::query).containsExactly("broken", "half");
    assertThat(window.byMode()).containsOnlyKeys("bm25", "vector");
    assertThat(window.byMode().get("bm25").failed()).isEqualTo(1);
  }

  @Test
  @DisplayName("statistics: mean, median and a nearest-rank percentile; NaN when there is nothing")
  void stats() {
    ShadowWindow.Stats stats = ShadowWindow.Stats.of(List.of(1.0, 0.5, 0.0, 0.75, 1.0), 0.1);
    assertThat(stats.mean()).isEqualTo(0.65);
    assertThat(stats.median()).isEqualTo(0.75);
    assertThat(stats.percentile()).isEqualTo(0.0);
    assertThat(ShadowWindow.Stats.of(List.of(), 0.5).mean()).isNaN();
  }

  @Test
  @DisplayName(
      "when the roles swap, the window starts afresh: numbers about the old pair would mislead")
  void roleChangeResets() {
    ShadowWindow window = new ShadowWindow(10, 5);
    window.add(compared("q1", "chroma", ABC));
    window.add(compared("q2", "chroma", ABC));
    window.add(compared("q3", "postgres", ABC));

    assertThat(window.summary().comparisons()).isEqualTo(1);
    assertThat(window.worst()).extracting(QueryComparison::query).containsExactly("q3");
  }

  @Test
  @DisplayName("the timeline cuts the window into equal stretches of time, each with its mean RBO")
  void timelineOfAgreement() {
    ShadowWindow window = new ShadowWindow(10, 2);
    Instant start = Instant.parse("2026-12-06T20:00:00Z");
    Ranking disjoint = new Ranking(List.of("x", "y", "z"), List.of(0.9, 0.8, 0.7), 2);
    window.add(compared(start, "same", "chroma", ABC));
    window.add(compared(start.plusSeconds(10), "other", "chroma", disjoint));
    window.add(compared(start.plusSeconds(90), "late", "chroma", ABC));

    List<ShadowWindow.Period> timeline = window.timeline(3);

    // 90 s cut into 3 stretches of 30.001 s: the first holds two comparisons, the middle none
    assertThat(timeline).extracting(ShadowWindow.Period::compared).containsExactly(2, 1);
    assertThat(timeline.get(0).from()).isEqualTo(start);
    assertThat(timeline.get(0).rboMean()).isEqualTo(0.5, within(1e-9));
    assertThat(timeline.get(1).from()).isEqualTo(start.plusMillis(2 * 30_001));
    assertThat(timeline.get(1).rboMean()).isEqualTo(1.0, within(1e-9));
    assertThat(new ShadowWindow(10, 2).timeline(3)).isEmpty();
  }
}
