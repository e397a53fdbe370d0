package dev.agentbrain.query.shadow;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;

/**
 * The recent comparisons (a bounded window, oldest dropped first) and the worst ones since the
 * roles last changed, with both result lists. Thread-safe.
 */
public final class ShadowWindow {

  /**
   * A summary of the window.
   *
   * @param comparisons queries in the window (answered and failed)
   * @param failed of those, how many the shadow failed to answer
   * @param overlap top-k overlap of the answered ones: mean, median, 10th percentile
   * @param rbo rank-biased overlap of the answered ones: mean, median, 10th percentile
   * @param scoreDifference mean absolute score difference of shared hits: mean, median, 90th
   * @param primaryMillis the primary's latency: mean, median, 95th percentile
   * @param shadowMillis the shadow's latency: mean, median, 95th percentile
   */
  public record Summary(
      int comparisons,
      int failed,
      Stats overlap,
      Stats rbo,
      Stats scoreDifference,
      Stats primaryMillis,
      Stats shadowMillis) {

    /** Failed over all comparisons; 0 for an empty window. */
    public double errorRate() {
      return comparisons == 0 ? 0 : (double) failed / comparisons;
    }

    /** Median shadow latency over median primary latency; NaN when either is unknown. */
    public double latencyRatio() {
      return primaryMillis.median() > 0
          ? shadowMillis.median() / primaryMillis.median()
          : Double.NaN;
    }
  }

  /**
   * Mean, median and one more percentile (named by the summary field) of a sample; NaN when empty.
   */
  public record Stats(int count, double mean, double median, double percentile) {
    /** The stats of {@code values}; {@code percentile} in (0, 1], nearest rank. */
    public static Stats of(List<Double> values, double percentile) {
      if (values.isEmpty()) {
        return new Stats(0, Double.NaN, Double.NaN, Double.NaN);
      }
      List<Double> sorted = values.stream().sorted().toList();
      double mean = sorted.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
      return new Stats(sorted.size(), mean, at(sorted, 0.5), at(sorted, percentile));
    }

    /** Nearest-rank percentile. */
    private static double at(List<Double> sorted, double q) {
      int rank = (int) Math.ceil(q * sorted.size());
      return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
  }

  private static final Comparator<QueryComparison> WORST_FIRST =
      Comparator.comparingDouble(QueryComparison::rboOrFailed);

  private final int capacity;
  private final int worstKept;
  private final Deque<QueryComparison> recent = new ArrayDeque<>();
  private final List<QueryComparison> worst = new ArrayList<>();

  /**
   * @param capacity comparisons kept in the window
   * @param worstKept how many of the worst comparisons are kept with both result lists
   */
  public ShadowWindow(int capacity, int worstKept) {
    this.capacity = capacity;
    this.worstKept = worstKept;
  }

  synchronized void add(QueryComparison comparison) {
    if (!recent.isEmpty()
        && !recent.peekLast().shadowBackend().equals(comparison.shadowBackend())) {
      // the roles were swapped: numbers about the old pair would mislead
      recent.clear();
      worst.clear();
    }
    recent.addLast(comparison);
    if (recent.size() > capacity) {
      recent.removeFirst();
    }
    worst.add(comparison);
    worst.sort(WORST_FIRST);
    if (worst.size() > worstKept) {
      worst.removeLast();
    }
  }

  /** The worst comparisons since the roles last changed, worst (lowest RBO; failures) first. */
  public synchronized List<QueryComparison> worst() {
    return List.copyOf(worst);
  }

  public synchronized Summary summary() {
    return summarise(List.copyOf(recent));
  }

  /**
   * A summary per search mode: modes rank differently (BM25 depends on each backend's text
   * analysis, vectors do not), so their agreement is read apart.
   */
  public synchronized Map<String, Summary> byMode() {
    Map<String, List<QueryComparison>> modes = new TreeMap<>();
    recent.forEach(c -> modes.computeIfAbsent(c.mode(), m -> new ArrayList<>()).add(c));
    Map<String, Summary> summaries = new TreeMap<>();
    modes.forEach((mode, comparisons) -> summaries.put(mode, summarise(comparisons)));
    return summaries;
  }

  /** The window's agreement in one stretch of time. */
  public record Period(
      Instant from, int compared, int failed, double rboMean, double overlapMean) {}

  /**
   * The window cut into at most {@code periods} equal stretches of time, oldest first, each with
   * its comparisons' mean RBO and overlap (NaN when none was answered); empty stretches are left
   * out.
   */
  public synchronized List<Period> timeline(int periods) {
    if (recent.isEmpty()) {
      return List.of();
    }
    long first = recent.peekFirst().at().toEpochMilli();
    long span = recent.peekLast().at().toEpochMilli() - first;
    long width = Math.max(1, (span + periods) / periods);
    Map<Long, List<QueryComparison>> byPeriod = new TreeMap<>();
    recent.forEach(
        c ->
            byPeriod
                .computeIfAbsent(
                    Math.floorDiv(c.at().toEpochMilli() - first, width), p -> new ArrayList<>())
                .add(c));
    List<Period> timeline = new ArrayList<>();
    byPeriod.forEach(
        (period, comparisons) -> {
          Summary summary = summarise(comparisons);
          timeline.add(
              new Period(
                  Instant.ofEpochMilli(first + period * width),
                  summary.comparisons(),
                  summary.failed(),
                  summary.rbo().mean(),
                  summary.overlap().mean()));
        });
    return timeline;
  }

  private static Summary summarise(List<QueryComparison> all) {
    List<QueryComparison> answered = all.stream().filter(c -> c.agreement().isPresent()).toList();
    return new Summary(
        all.size(),
        all.size() - answered.size(),
        Stats.of(values(answered, c -> c.agreement().orElseThrow().overlap()), 0.1),
        Stats.of(values(answered, c -> c.agreement().orElseThrow().rbo()), 0.1),
        Stats.of(values(answered, c -> c.agreement().orElseThrow().meanScoreDifference()), 0.9),
        Stats.of(values(all, c -> c.primary().millis()), 0.95),
        Stats.of(values(answered, c -> c.shadow().orElseThrow().millis()), 0.95));
  }

  private static List<Double> values(
      List<QueryComparison> comparisons, ToDoubleFunction<QueryComparison> value) {
    return comparisons.stream().map(c -> value.applyAsDouble(c)).toList();
  }
}
