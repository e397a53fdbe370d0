package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "Indexing jobs, through the query API (GET|DELETE /index/jobs): every job, newest first,",
      "or one job; --wait follows it until it has finished, --cancel stops it.",
      "Exit code 0 when the job is done (or still running without --wait), 1 when it failed",
      "or was cancelled."
    })
final class JobsCommand implements Callable<Integer> {

  /** How long one request waits for the job to finish before the command asks again. */
  private static final int WAIT_STEP_SECONDS = 60;

  @Parameters(arity = "0..1", paramLabel = "ID", description = "a job id; none lists every job")
  String id;

  @Option(names = "--wait", description = "wait until the job has finished, showing its progress")
  boolean waitForIt;

  @Option(names = "--cancel", description = "cancel the job")
  boolean cancel;

  @Mixin JsonAnswerOption json;

  @Mixin QueryApiAddress api = new QueryApiAddress();
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (id == null && (waitForIt || cancel)) {
      throw new IllegalArgumentException("--wait and --cancel need a job ID");
    }
    ApiClient client = api.client();
    PrintWriter out = spec.commandLine().getOut();
    if (id == null) {
      JsonNode answer = client.send("GET", "/index/jobs", Duration.ofSeconds(30));
      if (json.on) {
        out.println(answer.toPrettyString());
      } else if (answer.path("jobs").isEmpty()) {
        out.println("no jobs");
      } else {
        answer.path("jobs").forEach(job -> out.println(line(job)));
      }
      return AgentBrain.OK;
    }
    String path = "/index/jobs/" + FoldersCommand.encode(id);
    JsonNode job =
        cancel
            ? client.send("DELETE", path, Duration.ofSeconds(30))
            : client.send("GET", path, Duration.ofSeconds(30));
    if (json.on && !waitForIt) {
      out.println(job.toPrettyString());
      return exitCode(job);
    }
    return follow(client, job, waitForIt, out);
  }

  /** Prints the job; with {@code wait}, asks again until it has finished. */
  static int follow(ApiClient client, JsonNode job, boolean wait, PrintWriter out) {
    out.println(line(job));
    out.flush();
    String path = "/index/jobs/" + FoldersCommand.encode(job.path("id").asText());
    while (wait && !finished(job)) {
      job =
          client.send(
              "GET",
              path + "?wait_seconds=" + WAIT_STEP_SECONDS,
              Duration.ofSeconds(WAIT_STEP_SECONDS + 30));
      out.println(line(job));
      out.flush();
    }
    return exitCode(job);
  }

  private static boolean finished(JsonNode job) {
    String state = job.path("state").asText();
    return state.equals("done") || state.equals("failed") || state.equals("cancelled");
  }

  private static int exitCode(JsonNode job) {
    String state = job.path("state").asText();
    return state.equals("failed") || state.equals("cancelled")
        ? AgentBrain.PARTIAL_FAILURE
        : AgentBrain.OK;
  }

  /** One line: id, state, what was asked, file counts, chunks per backend, the detail. */
  static String line(JsonNode job) {
    JsonNode request = job.path("request");
    String what =
        switch (request.path("kind").asText()) {
          case "index_folder" ->
              "index " + request.path("path").asText() + " -> " + request.path("index").asText();
          case "add_documents" ->
              "add "
                  + request.path("documents").size()
                  + " document(s) -> "
                  + request.path("index").asText();
          case "remove_folder" ->
              "remove "
                  + request.path("folder").asText()
                  + " from "
                  + request.path("index").asText();
          default -> request.path("kind").asText();
        };
    JsonNode files = job.path("files");
    StringBuilder line =
        new StringBuilder()
            .append(job.path("id").asText())
            .append("  ")
            .append(job.path("state").asText())
            .append(job.path("cancel_requested").asBoolean() ? " (cancel asked)" : "")
            .append("  ")
            .append(what)
            .append("  files: ")
            .append(files.path("published").asInt())
            .append(" published, ")
            .append(files.path("unchanged").asInt())
            .append(" unchanged, ")
            .append(files.path("deleted").asInt())
            .append(" deleted, ")
            .append(files.path("failed").asInt())
            .append(" failed");
    Iterator<Map.Entry<String, JsonNode>> chunks = job.path("chunks_searchable").fields();
    if (chunks.hasNext()) {
      line.append("  searchable chunks:");
      chunks.forEachRemaining(
          c -> line.append(' ').append(c.getKey()).append(' ').append(c.getValue().asLong()));
    }
    if (!job.path("detail").asText().isEmpty()) {
      line.append("  — ").append(job.path("detail").asText());
    }
    return line.toString();
  }
}
