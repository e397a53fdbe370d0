package dev.agentbrain.cli;

import dev.agentbrain.indexer.IndexerService;
import dev.agentbrain.sink.SinkStatus;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.streams.KafkaStreams;

/**
 * What {@code GET /health} of a running indexer answers: ready only when the stream runs and every
 * sink writes; otherwise each part that is not says why (a sink waiting for its backend, failed and
 * restarting, or stalled with records unwritten).
 */
record IndexerHealth(boolean ready, Stream stream, List<Sink> sinks) {

  /** The Streams application: its state, ready while running or rebalancing. */
  record Stream(String state, boolean ready) {}

  /** One sink, as {@link SinkStatus} says ({@code since}: ISO-8601 instant). */
  record Sink(
      String sink,
      String state,
      boolean ready,
      String problem,
      String since,
      long restarts,
      long lag) {}

  static IndexerHealth of(IndexerService service, Instant now) {
    KafkaStreams.State state = service.state();
    Stream stream =
        new Stream(
            state.name(),
            state == KafkaStreams.State.RUNNING || state == KafkaStreams.State.REBALANCING);
    List<Sink> sinks =
        service.sinkStatuses().stream()
            .map(
                s ->
                    new Sink(
                        s.stage().id(),
                        s.state().name(),
                        s.ready(now),
                        s.problem(now),
                        s.since().toString(),
                        s.restarts(),
                        s.lag()))
            .toList();
    return new IndexerHealth(stream.ready() && sinks.stream().allMatch(Sink::ready), stream, sinks);
  }
}
