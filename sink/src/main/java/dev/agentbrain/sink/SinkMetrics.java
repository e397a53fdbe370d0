package dev.agentbrain.sink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Meters of one sink ({@code agentbrain.sink.*}, tagged with the backend): records written, write
 * time per batch, retries while the backend is down, dead letters, and consumer lag.
 */
public final class SinkMetrics {

  private final Counter written;
  private final Timer writeTime;
  private final Counter retries;
  private final Counter refused;
  private final AtomicLong lag = new AtomicLong();

  public SinkMetrics(MeterRegistry registry, String backend) {
    this.written = registry.counter("agentbrain.sink.records.written", "backend", backend);
    this.writeTime = registry.timer("agentbrain.sink.write.time", "backend", backend);
    this.retries = registry.counter("agentbrain.sink.retries", "backend", backend);
    this.refused = registry.counter("agentbrain.sink.refused", "backend", backend);
    Gauge.builder("agentbrain.sink.lag", lag, AtomicLong::get)
        .tag("backend", backend)
        .description("records of the chunks topic not yet written to the backend")
        .register(registry);
  }

  void written(int records, long nanos) {
    written.increment(records);
    writeTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  void retried() {
    retries.increment();
  }

  void refused() {
    refused.increment();
  }

  void lag(long records) {
    lag.set(records);
  }

  /** Records of the chunks topic not yet written, as of the last poll. */
  public long lag() {
    return lag.get();
  }
}
