package dev.agentbrain.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Meters of one sink ({@code agentbrain.sink.*}, tagged with the backend): records written, write
 * time per batch, retries while the backend is down, dead letters, worker restarts after an
 * unexpected failure, consumer lag, and whether the sink is ready (1) or waiting, failed or stalled
 * (0).
 */
public final class SinkMetrics {

  private final MeterRegistry registry;
  private final String backend;
  private final Counter written;
  private final Timer writeTime;
  private final Counter retries;
  private final Counter refused;
  private final Counter restarts;
  private final AtomicLong lag = new AtomicLong();

  public SinkMetrics(MeterRegistry registry, String backend) {
    this.registry = registry;
    this.backend = backend;
    this.written = registry.counter("agentbrain.sink.records.written", "backend", backend);
    this.writeTime = registry.timer("agentbrain.sink.write.time", "backend", backend);
    this.retries = registry.counter("agentbrain.sink.retries", "backend", backend);
    this.refused = registry.counter("agentbrain.sink.refused", "backend", backend);
    this.restarts = registry.counter("agentbrain.sink.restarts", "backend", backend);
    Gauge.builder("agentbrain.sink.lag", lag, AtomicLong::get)
        .tag("backend", backend)
        .description("records of the chunks topic not yet written to the backend")
        .register(registry);
  }

  void written(int records, long nanos) {
    written.increment(records);
    writeTime.record(nanos, TimeUnit.NANOSECONDS);
  }

  void retried() {
    retries.increment();
  }

  void refused() {
    refused.increment();
  }

  void restarted() {
    restarts.increment();
  }

  void lag(long records) {
    lag.set(records);
  }

  /** Publishes {@code agentbrain.sink.ready}: 1 while the sink's status says ready, else 0. */
  void readiness(Supplier<SinkStatus> status) {
    Gauge.builder("agentbrain.sink.ready", status, s -> s.get().ready(Instant.now()) ? 1.0 : 0.0)
        .tag("backend", backend)
        .description("1 while the sink writes; 0 while it waits for its backend, failed or stalled")
        .register(registry);
  }

  /** Records of the chunks topic not yet written, as of the last poll. */
  public long lag() {
    return lag.get();
  }

  /** Worker restarts after an unexpected failure, since this process started. */
  public long restarts() {
    return (long) restarts.count();
  }
}
