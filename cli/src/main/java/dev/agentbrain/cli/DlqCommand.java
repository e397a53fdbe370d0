package dev.agentbrain.cli;

import dev.agentbrain.events.DeadLetter;
import dev.agentbrain.topics.Topic;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description =
        "List the records the pipeline refused (the dead-letter topic), newest last, with stage and reason.")
final class DlqCommand implements Callable<Integer> {

  @Option(
      names = "--max",
      defaultValue = "50",
      description = "show at most this many, newest (default: ${DEFAULT-VALUE})")
  int max;

  @Override
  public Integer call() {
    Wiring wiring = Wiring.fromEnvironment();
    Topic<byte[], DeadLetter> topic = wiring.topics().deadLetters();
    try (KafkaConsumer<byte[], DeadLetter> consumer =
        new KafkaConsumer<>(
            Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                wiring.bootstrap(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                false,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                10_000),
            topic.keySerde().deserializer(),
            topic.valueSerde().deserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic.name()).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
      for (TopicPartition partition : partitions) {
        consumer.seek(partition, Math.max(0, ends.get(partition) - max));
      }
      int shown = 0;
      long remaining = partitions.stream().mapToLong(p -> ends.get(p) - consumer.position(p)).sum();
      while (remaining > 0) {
        var records = consumer.poll(Duration.ofSeconds(2));
        if (records.isEmpty()) {
          break;
        }
        for (ConsumerRecord<byte[], DeadLetter> record : records) {
          DeadLetter letter = record.value();
          System.out.printf(
              "%s  %-14s %s-%d@%d  %s%n",
              letter.getFailedAt(),
              letter.getStage(),
              letter.getSourceTopic(),
              letter.getSourcePartition(),
              letter.getSourceOffset(),
              letter.getReason());
          shown++;
          remaining--;
        }
      }
      System.out.println(
          shown == 0 ? "the dead-letter topic is empty" : shown + " dead letters shown");
    }
    return AgentBrain.OK;
  }
}
