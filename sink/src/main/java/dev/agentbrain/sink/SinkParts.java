package dev.agentbrain.sink;

import dev.agentbrain.deadletter.Stage;
import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.events.EmbeddedChunk;
import dev.agentbrain.events.EmbeddingContract;
import dev.agentbrain.storage.ChunkWriter;
import java.util.function.BiFunction;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * What a sink of the chunks topic into one backend needs, built once per sink and shared by its
 * successive workers.
 *
 * @param stage {@link Stage#SINK_POSTGRES} or {@link Stage#SINK_CHROMA}: names the backend in logs,
 *     metrics and dead letters
 * @param chunkDeserializer reads the chunks topic's values
 * @param writer the backend's store; not closed by the sink
 * @param contracts an index's contract by name and version
 * @param deadLetters shared producer of the dead-letter topic; not closed by the sink
 * @param topic the chunks topic
 * @param dlqTopic the dead-letter topic
 * @param metrics the sink's counters and readiness
 */
public record SinkParts(
    Stage stage,
    Deserializer<EmbeddedChunk> chunkDeserializer,
    ChunkWriter writer,
    BiFunction<String, Integer, EmbeddingContract> contracts,
    Producer<byte[], DeadLetter> deadLetters,
    String topic,
    String dlqTopic,
    SinkMetrics metrics) {}
