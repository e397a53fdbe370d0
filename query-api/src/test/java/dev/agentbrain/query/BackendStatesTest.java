package dev.agentbrain.query;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentbrain.config.Backend;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class BackendStatesTest {

  private final AtomicLong now = new AtomicLong(1_000);
  private final AtomicInteger probes = new AtomicInteger();

  private BackendStates states(Function<Backend, String> probe) {
    return new BackendStates(
        List.of(Backend.POSTGRES, Backend.CHROMA), probe, Duration.ofNanos(100), now::get);
  }

  @Test
  void probesOnceThenAnswersFromTheLastProbeUntilItIsTooOld() {
    BackendStates states =
        states(
            backend -> {
              probes.incrementAndGet();
              return backend == Backend.POSTGRES ? "ok" : "unavailable";
            });

    assertThat(states.current().states())
        .containsExactly(
            Map.entry(Backend.POSTGRES, "ok"), Map.entry(Backend.CHROMA, "unavailable"));
    for (int i = 0; i < 50; i++) {
      states.current();
    }
    assertThat(probes).as("probes of both backends for 51 calls within max age").hasValue(2);

    now.addAndGet(100);
    states.current();
    assertThat(probes).as("probed again once the states are max age old").hasValue(4);
  }

  @Test
  void callersWhileAProbeIsSlowGetTheLastStatesAndProbeNothing() throws Exception {
    CountDownLatch probing = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    BackendStates states =
        states(
            backend -> {
              if (calls.incrementAndGet() > 2) {
                probing.countDown();
                try {
                  release.await();
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
                return "unavailable";
              }
              return "ok";
            });
    BackendStates.Probed first = states.current();
    now.addAndGet(1_000);
    Thread slow = Thread.ofPlatform().start(states::current);
    probing.await();

    assertThat(states.current()).as("answered while another caller probes").isSameAs(first);
    release.countDown();
    slow.join();
    assertThat(calls).as("one probe of each backend per refresh").hasValue(4);
    assertThat(states.current().states()).containsEntry(Backend.POSTGRES, "unavailable");
  }
}
