package dev.agentbrain.publish;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.hashing.ContentHash;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A consumer that knows nothing of this project — Kafka's own console consumer, with Apicurio's
 * Avro deserializer pointed at the registry, on a classpath of only those two (see
 * src/test/console-consumer/pom.xml) — reads the published events back, field by field.
 */
class ConsoleConsumerIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private DocumentTopic topic;

  @BeforeEach
  void topic() {
    topic = new DocumentTopic();
  }

  @AfterEach
  void deleteTopic() {
    topic.close();
  }

  @Test
  @DisplayName("Kafka's console consumer with the Apicurio deserializer reads every field back")
  void consoleConsumerReadsTheEvents(@TempDir Path folder) throws Exception {
    String markdown = "# Kafka\n\nKafka keeps an ordered log.\n";
    Files.writeString(folder.resolve("kafka.md"), markdown);
    try (DocumentPublisher publisher = topic.connect()) {
      new FolderPublisher(publisher, "console-it").publish(folder, "docs");
    }

    List<String> lines = consume(1);
    String name = folder.getFileName().toString();

    assertThat(lines).hasSize(1);
    String[] parts = lines.get(0).split("\t", 3);
    assertThat(parts[0])
        .contains(
            "agentbrain.index:docs",
            "agentbrain.source:" + name + "/kafka.md",
            "agentbrain.folder:" + name)
        .contains("agentbrain.content-hash:" + ContentHash.sha256(markdown));
    assertThat(parts[1]).isEqualTo(DocumentIds.inFolder("docs", name, "kafka.md"));
    JsonNode event = JSON.readTree(parts[2]);
    assertThat(event.get("id").asText()).isEqualTo(DocumentIds.inFolder("docs", name, "kafka.md"));
    assertThat(event.get("index").asText()).isEqualTo("docs");
    assertThat(event.get("source").asText()).isEqualTo(name + "/kafka.md");
    assertThat(event.get("sourceType").asText()).isEqualTo("doc");
    assertThat(event.get("language").asText()).isEqualTo("markdown");
    assertThat(event.get("contentType").asText()).isEqualTo("text/markdown");
    assertThat(event.get("content").asText()).isEqualTo(markdown);
    assertThat(event.get("contentHash").asText()).isEqualTo(ContentHash.sha256(markdown));
    assertThat(event.get("operation").asText()).isEqualTo("UPSERT");
    assertThat(event.get("version").asLong()).isPositive();
    assertThat(event.get("producerId").asText()).isEqualTo("console-it");
  }

  /** The console consumer's output lines: headers, key and value, tab-separated. */
  private List<String> consume(int messages) throws IOException, InterruptedException {
    Path lib = consoleConsumerLib();
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "--enable-native-access=ALL-UNNAMED",
            "-cp",
            lib + "/*",
            "org.apache.kafka.tools.consumer.ConsoleConsumer",
            "--bootstrap-server",
            topic.bootstrap,
            "--topic",
            topic.name(),
            "--from-beginning",
            "--max-messages",
            String.valueOf(messages),
            "--timeout-ms",
            "30000",
            "--formatter-property",
            "print.key=true",
            "--formatter-property",
            "print.headers=true",
            "--formatter-property",
            "key.deserializer=org.apache.kafka.common.serialization.StringDeserializer",
            "--formatter-property",
            "value.deserializer=io.apicurio.registry.serde.avro.AvroKafkaDeserializer",
            "--formatter-property",
            "value.deserializer.apicurio.registry.url=" + topic.registry + "/apis/registry/v3");
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    List<String> lines = new ArrayList<>();
    for (String line : out.split("\n")) {
      if (line.startsWith("agentbrain.")) {
        lines.add(line);
      }
    }
    return lines;
  }

  /**
   * The jars of the console consumer and the deserializer, copied by Maven from the standalone pom
   * once into {@code $AGENT_BRAIN_HOME/console-consumer/lib}.
   */
  private static Path consoleConsumerLib() throws IOException, InterruptedException {
    Path home = Path.of(System.getenv().getOrDefault("AGENT_BRAIN_HOME", "../.agent-brain"));
    Path lib = home.resolve("console-consumer/lib").toAbsolutePath();
    if (Files.isDirectory(lib)) {
      return lib;
    }
    Path pom = Path.of("src/test/console-consumer/pom.xml").toAbsolutePath();
    Process mvn =
        new ProcessBuilder(
                "mvn",
                "-q",
                "-B",
                "-f",
                pom.toString(),
                "dependency:copy-dependencies",
                "-DoutputDirectory=" + lib)
            .inheritIO()
            .start();
    assertThat(mvn.waitFor(5, TimeUnit.MINUTES))
        .as("Maven copies the console consumer's jars in time")
        .isTrue();
    assertThat(mvn.exitValue()).as("mvn dependency:copy-dependencies -f " + pom).isZero();
    return lib;
  }
}
