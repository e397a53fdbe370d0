package dev.agentbrain.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class RetryTest {

  private final List<Duration> pauses = new ArrayList<>();
  private final Retry retry =
      Retry.with(new RetryPolicy(3, Duration.ofMillis(100), Duration.ofMillis(400)))
          .waitingWith(pauses::add);

  private static RuntimeException down() {
    return new RuntimeException("down", new ConnectException("refused"));
  }

  @Test
  @DisplayName("a transient failure is retried with growing pauses until the attempt succeeds")
  void retriesTransient() throws InterruptedException {
    AtomicInteger attempts = new AtomicInteger();
    String result =
        retry.call(
            () -> {
              if (attempts.incrementAndGet() < 3) {
                throw down();
              }
              return "ok";
            });
    assertThat(result).isEqualTo("ok");
    assertThat(pauses).hasSize(2);
    assertThat(pauses.get(0)).isBetween(Duration.ofMillis(50), Duration.ofMillis(100));
    assertThat(pauses.get(1)).isBetween(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  @DisplayName("a rejected or broken failure is thrown at once, unchanged")
  void notTransientAtOnce() {
    IllegalStateException bug = new IllegalStateException("bug");
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      throw bug;
                    }))
        .isSameAs(bug);
    assertThat(pauses).isEmpty();
  }

  @Test
  @DisplayName("after the last retry the last failure is thrown")
  void givesUp() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw down();
                    }))
        .hasMessage("down");
    assertThat(attempts).hasValue(4);
  }

  @Test
  @DisplayName("the pause a failure asks for wins over the backoff, up to the longest honoured")
  void honoursRetryAfter() throws InterruptedException {
    AtomicInteger attempts = new AtomicInteger();
    retry.run(
        () -> {
          if (attempts.incrementAndGet() == 1) {
            throw new FailuresTest.Said(
                Failure.Kind.TRANSIENT, Optional.of(Duration.ofSeconds(7)), null);
          }
        });
    assertThat(pauses).containsExactly(Duration.ofSeconds(7));
    assertThatThrownBy(
            () ->
                retry.run(
                    () -> {
                      throw new FailuresTest.Said(
                          Failure.Kind.TRANSIENT, Optional.of(Duration.ofHours(1)), null);
                    }))
        .isInstanceOf(FailuresTest.Said.class);
  }

  @Test
  @DisplayName("a retry stops as soon as its condition says so, with the last failure")
  void stopsWhenTold() {
    AtomicInteger attempts = new AtomicInteger();
    Retry unbounded =
        Retry.with(RetryPolicy.unbounded(Duration.ofMillis(1), Duration.ofMillis(2)))
            .waitingWith(pauses::add)
            .whileTrue(() -> attempts.get() < 5);
    assertThatThrownBy(
            () ->
                unbounded.run(
                    () -> {
                      attempts.incrementAndGet();
                      throw down();
                    }))
        .hasMessage("down");
    assertThat(attempts).hasValue(5);
  }
}
