package dev.agentbrain.query.shadow;

import dev.agentbrain.config.Backend;
import dev.agentbrain.query.ApiError;
import dev.agentbrain.query.ErrorTable;
import dev.agentbrain.roles.Roles;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Replays a sample of live queries on the shadow backend, in the background, and records how the
 * two answers compare ({@link ShadowWindow}, and meters {@code agentbrain.shadow.*}).
 *
 * <p>The caller never waits for the shadow: {@link #mirror} only samples and enqueues. The queue is
 * bounded and served by {@value #THREADS} threads of its own; a query that finds it full is dropped
 * and counted, so a slow or dead shadow costs the primary nothing but the enqueue. Thread-safe.
 */
public final class ShadowMirror implements AutoCloseable {

  /** Runs the caller's search again on another backend. */
  @FunctionalInterface
  public interface Replay {
    Ranking on(Backend backend) throws Exception;
  }

  private static final Logger LOG = LoggerFactory.getLogger(ShadowMirror.class);
  static final int THREADS = 2;

  private final Supplier<Roles> roles;
  private final double sample;
  private final DoubleSupplier random;
  private final ShadowWindow window;
  private final ThreadPoolExecutor executor;
  private final Counter compared;
  private final Counter failed;
  private final Counter dropped;
  private final DistributionSummary overlap;
  private final DistributionSummary rbo;
  private final DistributionSummary scoreDifference;
  private final MeterRegistry meters;

  /**
   * @param roles the current roles (read per query: a promotion takes effect at once)
   * @param sample share of queries to replay, 0 to 1
   * @param queueCapacity replays waiting at most; more are dropped
   * @param random uniform in [0, 1), for sampling
   */
  public ShadowMirror(
      Supplier<Roles> roles,
      double sample,
      int queueCapacity,
      ShadowWindow window,
      MeterRegistry meters,
      DoubleSupplier random) {
    this.roles = roles;
    this.sample = sample;
    this.random = random;
    this.window = window;
    this.meters = meters;
    this.executor =
        new ThreadPoolExecutor(
            THREADS,
            THREADS,
            0,
            TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(queueCapacity),
            Thread.ofPlatform().daemon().name("shadow-mirror-", 0).factory(),
            new ThreadPoolExecutor.AbortPolicy());
    this.compared = meters.counter("agentbrain.shadow.queries", "outcome", "compared");
    this.failed = meters.counter("agentbrain.shadow.queries", "outcome", "failed");
    this.dropped = meters.counter("agentbrain.shadow.queries", "outcome", "dropped");
    this.overlap =
        DistributionSummary.builder("agentbrain.shadow.overlap")
            .description("top-k overlap of primary and shadow results, 0 to 1")
            .publishPercentiles(0.1, 0.5)
            .register(meters);
    this.rbo =
        DistributionSummary.builder("agentbrain.shadow.rbo")
            .description("rank-biased overlap (p 0.9) of primary and shadow results, 0 to 1")
            .publishPercentiles(0.1, 0.5)
            .register(meters);
    this.scoreDifference =
        DistributionSummary.builder("agentbrain.shadow.score.difference")
            .description("mean absolute score difference of the results both returned")
            .publishPercentiles(0.5, 0.9)
            .register(meters);
    Gauge.builder("agentbrain.shadow.queue", executor, e -> e.getQueue().size())
        .description("sampled queries waiting for the shadow")
        .register(meters);
  }

  /**
   * Called on the caller's thread after the primary answered; returns at once.
   *
   * @param answeredBy the backend that answered: only answers of the current primary are mirrored
   *     (a query that asked a backend by name is not live traffic for the primary)
   */
  public void mirror(
      String query, String index, String mode, Backend answeredBy, Ranking primary, Replay replay) {
    Roles current;
    try {
      current = roles.get();
    } catch (RuntimeException e) {
      return; // roles unknown: mirroring waits, the caller does not
    }
    if (current.shadow().isEmpty() || current.primary() != answeredBy) {
      return;
    }
    if (random.getAsDouble() >= sample) {
      return;
    }
    Backend shadow = current.shadow().get();
    try {
      executor.execute(() -> replay(query, index, mode, answeredBy, shadow, primary, replay));
    } catch (RejectedExecutionException e) {
      dropped.increment();
    }
  }

  private void replay(
      String query,
      String index,
      String mode,
      Backend primaryBackend,
      Backend shadow,
      Ranking primary,
      Replay replay) {
    Optional<Ranking> answer;
    Optional<String> error;
    try {
      answer = Optional.of(replay.on(shadow));
      error = Optional.empty();
    } catch (Exception e) {
      // the shadow's failure is data, not an error of this service
      LOG.debug("shadow {} failed a mirrored query: {}", shadow.id(), e.getMessage());
      answer = Optional.empty();
      error = Optional.of(describe(e));
    }
    QueryComparison comparison =
        new QueryComparison(
            Instant.now(),
            query,
            index,
            mode,
            primaryBackend.id(),
            shadow.id(),
            primary,
            answer,
            answer.map(a -> RankAgreement.of(primary, a)),
            error);
    comparison
        .agreement()
        .ifPresentOrElse(
            agreement -> {
              compared.increment();
              overlap.record(agreement.overlap());
              rbo.record(agreement.rbo());
              scoreDifference.record(agreement.meanScoreDifference());
            },
            failed::increment);
    answer.ifPresent(a -> record(latency("shadow", shadow), a.millis()));
    record(latency("primary", primaryBackend), primary.millis());
    window.add(comparison);
  }

  private static void record(Timer timer, double millis) {
    timer.record(Math.round(millis * 1000), TimeUnit.MICROSECONDS);
  }

  private Timer latency(String role, Backend backend) {
    return Timer.builder("agentbrain.shadow.latency")
        .description("latency of mirrored queries by role")
        .tags("role", role, "backend", backend.id())
        .publishPercentiles(0.5, 0.95)
        .register(meters);
  }

  /**
   * A failure in words fit for the report: what a client of the shadow would have been told ({@link
   * ErrorTable}), else the exception's own message; never a stack trace.
   */
  private static String describe(Exception e) {
    return ErrorTable.answer(e)
        .map(ApiError::detail)
        .orElseGet(() -> e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
  }

  public ShadowWindow window() {
    return window;
  }

  /** Replays dropped because the queue was full, since start. */
  public long dropped() {
    return (long) dropped.count();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
