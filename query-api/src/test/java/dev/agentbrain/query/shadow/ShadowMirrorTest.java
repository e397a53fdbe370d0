package dev.agentbrain.query.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Backend;
import dev.agentbrain.roles.Roles;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class ShadowMirrorTest {

  private static final Ranking PRIMARY =
      new Ranking(List.of("a", "b", "c"), List.of(0.9, 0.8, 0.7), 4);
  private static final Roles PG_PRIMARY = new Roles(Backend.POSTGRES, Optional.of(Backend.CHROMA));

  private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
  private final AtomicReference<Roles> roles = new AtomicReference<>(PG_PRIMARY);
  private ShadowMirror mirror;

  private ShadowMirror mirror(double sample, int queue) {
    mirror =
        new ShadowMirror(roles::get, sample, queue, new ShadowWindow(100, 3), meters, () -> 0.05);
    return mirror;
  }

  @AfterEach
  void close() {
    if (mirror != null) {
      mirror.close();
    }
  }

  private void awaitComparisons(int n) {
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(5))
        .until(() -> mirror.window().summary().comparisons() == n);
  }

  private double count(String outcome) {
    return meters.counter("agentbrain.shadow.queries", "outcome", outcome).count();
  }

  @Test
  @DisplayName("a sampled query is replayed on the shadow and compared with the primary's answer")
  void comparesSampledQueries() throws Exception {
    mirror(0.1, 8);
    mirror.mirror(
        "q",
        "docs",
        "vector",
        Backend.POSTGRES,
        PRIMARY,
        backend -> {
          assertThat(backend).isEqualTo(Backend.CHROMA);
          return new Ranking(List.of("a", "c", "x"), List.of(0.9, 0.7, 0.5), 9);
        });
    mirror.mirror("q2", "docs", "vector", Backend.POSTGRES, PRIMARY, b -> PRIMARY);
    awaitComparisons(2);

    ShadowWindow.Summary summary = mirror.window().summary();
    assertThat(summary.overlap().mean()).isBetween(0.66, 1.0);
    assertThat(mirror.window().worst().getFirst().query()).isEqualTo("q");
    assertThat(count("compared")).isEqualTo(2);
    assertThat(mirror.window().byMode()).containsOnlyKeys("vector");
  }

  @Test
  @DisplayName(
      "queries outside the sample, or answered by a backend named in the request, are not replayed")
  void onlySampledPrimaryQueries() {
    mirror(0.01, 8); // the random source gives 0.05: outside the sample
    mirror.mirror("q", "docs", "vector", Backend.POSTGRES, PRIMARY, b -> PRIMARY);
    mirror.close();
    mirror(1.0, 8);
    mirror.mirror("q", "docs", "vector", Backend.CHROMA, PRIMARY, b -> PRIMARY);
    roles.set(new Roles(Backend.POSTGRES, Optional.empty()));
    mirror.mirror("q", "docs", "vector", Backend.POSTGRES, PRIMARY, b -> PRIMARY);

    assertThat(count("compared") + count("failed") + count("dropped")).isZero();
  }

  @Test
  @DisplayName(
      "a shadow that hangs never holds up the caller: the queue fills and the rest is dropped and counted")
  void slowShadowDropsInsteadOfWaiting() throws Exception {
    mirror(1.0, 2);
    CountDownLatch release = new CountDownLatch(1);
    ShadowMirror.Replay hanging =
        b -> {
          release.await();
          return PRIMARY;
        };
    long started = System.nanoTime();
    for (int i = 0; i < 50; i++) {
      mirror.mirror("q" + i, "docs", "vector", Backend.POSTGRES, PRIMARY, hanging);
    }
    long millis = (System.nanoTime() - started) / 1_000_000;
    release.countDown();

    assertThat(millis).as("time the callers spent in 50 mirror calls, ms").isLessThan(500);
    // two replays run, two wait in the queue, the rest find it full
    assertThat(count("dropped")).isEqualTo(50 - ShadowMirror.THREADS - 2);
  }

  @Test
  @DisplayName(
      "a failing shadow is recorded as an error with its message, and counts in the error rate")
  void failuresAreRecorded() {
    mirror(1.0, 8);
    mirror.mirror(
        "q",
        "docs",
        "vector",
        Backend.POSTGRES,
        PRIMARY,
        b -> {
          throw new IllegalStateException("chroma is not reachable");
        });
    awaitComparisons(1);

    assertThat(mirror.window().summary().errorRate()).isEqualTo(1.0);
    assertThat(mirror.window().worst().getFirst().error())
        .hasValueSatisfying(e -> assertThat(e).contains("chroma is not reachable"));
  }
}
