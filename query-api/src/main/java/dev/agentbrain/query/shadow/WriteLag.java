package dev.agentbrain.query.shadow;

import dev.agentbrain.config.Backend;
import dev.agentbrain.topics.SinkLag;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far each backend's sink is behind the chunks topic, refreshed in the background every few
 * seconds (so neither {@code /metrics} nor the report waits for Kafka), as the gauge {@code
 * agentbrain.shadow.write.lag} tagged with the backend. Thread-safe.
 */
final class WriteLag implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(WriteLag.class);

  private final SinkLag sinkLag;
  private final ScheduledExecutorService refresher =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("shadow-write-lag").factory());
  private final Map<Backend, Long> lag = new EnumMap<>(Backend.class);
  private volatile Optional<String> problem = Optional.of("not read yet");

  WriteLag(SinkLag sinkLag, MeterRegistry meters, long periodMillis) {
    this.sinkLag = sinkLag;
    for (Backend backend : Backend.values()) {
      Gauge.builder("agentbrain.shadow.write.lag", this, w -> w.of(backend).orElse(Double.NaN))
          .description("offsets of the chunks topic the backend's sink has not committed yet")
          .tag("backend", backend.id())
          .register(meters);
    }
    refresher.scheduleWithFixedDelay(this::refresh, 0, periodMillis, TimeUnit.MILLISECONDS);
  }

  private void refresh() {
    try {
      Map<Backend, Long> fresh = new EnumMap<>(Backend.class);
      Map<org.apache.kafka.common.TopicPartition, Long> ends = sinkLag.endOffsets();
      for (Backend backend : Backend.values()) {
        fresh.put(backend, SinkLag.lag(ends, sinkLag.committed(backend)));
      }
      synchronized (lag) {
        lag.putAll(fresh);
      }
      problem = Optional.empty();
    } catch (RuntimeException e) {
      LOG.debug("could not read the sinks' lag: {}", e.getMessage());
      problem = Optional.of("Kafka did not answer for the sinks' offsets");
    }
  }

  /** The backend's last known lag, empty before the first successful read. */
  Optional<Double> of(Backend backend) {
    synchronized (lag) {
      return Optional.ofNullable(lag.get(backend)).map(Long::doubleValue);
    }
  }

  /** Why the lag is unknown or stale, empty when the last read succeeded. */
  Optional<String> problem() {
    return problem;
  }

  @Override
  public void close() {
    refresher.shutdownNow();
    sinkLag.close();
  }
}
