package dev.agentbrain.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.config.Settings;
import dev.agentbrain.testing.LocalServices;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agent-brain publish} against the real broker and registry, on a topic prefix of its own.
 */
class PublishCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final Map<String, String> env = new HashMap<>();
  private String prefix;

  @BeforeEach
  void services() {
    env.put("AGENT_BRAIN_KAFKA_BOOTSTRAP", LocalServices.requireKafka());
    env.put("AGENT_BRAIN_REGISTRY_URL", LocalServices.requireRegistry().toString());
    prefix = "it-cli-" + UUID.randomUUID().toString().substring(0, 8);
    env.put("AGENT_BRAIN_TOPIC_PREFIX", prefix);
    env.put("AGENT_BRAIN_PARTITIONS", "2");
  }

  @AfterEach
  void deleteTopics() throws Exception {
    try (Admin admin = new Wiring(Settings.of(env)).admin()) {
      admin.deleteTopics(
          admin.listTopics().names().get().stream().filter(t -> t.startsWith(prefix)).toList());
    }
  }

  @Test
  @DisplayName("publish --id NAME - reads one document from stdin, and sends it only once")
  void stdinIsPublishedOnce() throws Exception {
    String note = "# My note\n\nRemember the milk.\n";

    Run first = run(note, "--index", "itnotes", "--json", "--id", "my-note.md", "-");
    Run second = run(note, "--index", "itnotes", "--json", "--id", "my-note.md", "-");

    assertThat(first.exitCode()).isZero();
    assertThat(first.json().get("published").asInt()).isEqualTo(1);
    assertThat(second.json().get("published").asInt()).isZero();
    assertThat(second.json().get("unchanged").asInt()).isEqualTo(1);
  }

  @Test
  @DisplayName("a file over the size limit fails the run with exit code 1, the others are sent")
  void oversizedFileFailsTheRun(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("small.md"), "# Small\n");
    Files.writeString(folder.resolve("huge.txt"), "x".repeat(5 * 1024 * 1024));
    Files.write(folder.resolve("image.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0, 0});

    Run run = run("", "--index", "itdocs", "--json", folder.toString());

    assertThat(run.exitCode()).isEqualTo(AgentBrain.PARTIAL_FAILURE);
    assertThat(run.json().get("published").asInt()).isEqualTo(1);
    assertThat(run.json().get("failed").get(0).get("source").asText()).isEqualTo("huge.txt");
    assertThat(run.json().get("failed").get(0).get("reason").asText())
        .contains("over the 4.0 MiB limit of one document");
    assertThat(run.json().get("skipped").get(0).get("reason").asText()).isEqualTo("binary file");
  }

  @Test
  @DisplayName("--dry-run says what would be sent, and a later run still sends it")
  void dryRunSendsNothing(@TempDir Path folder) throws Exception {
    Files.writeString(folder.resolve("a.md"), "# A\n");

    Run dry = run("", "--index", "itdocs", "--dry-run", folder.toString());
    Run real = run("", "--index", "itdocs", "--json", folder.toString());

    assertThat(dry.exitCode()).isZero();
    assertThat(dry.out()).startsWith("would publish 1, unchanged 0").contains("nothing was sent");
    assertThat(real.json().get("published").asInt()).isEqualTo(1);
  }

  private record Run(int exitCode, String out, String err) {
    JsonNode json() throws Exception {
      return JSON.readTree(out);
    }
  }

  private Run run(String stdin, String... args) {
    PublishCommand command = new PublishCommand();
    command.wiring = () -> new Wiring(Settings.of(env));
    command.stdin = new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine cli = new CommandLine(command);
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(err));
    int exitCode = cli.execute(args);
    return new Run(exitCode, out.toString(), err.toString());
  }
}
