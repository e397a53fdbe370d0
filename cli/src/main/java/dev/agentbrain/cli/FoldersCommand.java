package dev.agentbrain.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
    name = "folders",
    mixinStandardHelpOptions = true,
    description = {
      "The folders of each index, through the query API (GET|DELETE /index/folders).",
      "A folder's name prefixes the sources of its documents; see docs/folders-and-jobs.md."
    },
    subcommands = {FoldersCommand.ListFolders.class, FoldersCommand.Remove.class})
final class FoldersCommand implements Runnable {

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List the folders: index, name, documents, the path it was published from.")
  static final class ListFolders implements Callable<Integer> {
    @Option(names = "--index", description = "only this index")
    String index;

    @Mixin JsonAnswerOption json;

    @Mixin QueryApiAddress api = new QueryApiAddress();
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      JsonNode answer =
          api.client()
              .send(
                  "GET",
                  "/index/folders" + (index == null ? "" : "?index=" + encode(index)),
                  Duration.ofSeconds(30));
      PrintWriter out = spec.commandLine().getOut();
      if (json.on) {
        out.println(answer.toPrettyString());
        return AgentBrain.OK;
      }
      if (answer.path("folders").isEmpty()) {
        out.println("no folders" + (index == null ? "" : " in index " + index));
        return AgentBrain.OK;
      }
      out.printf("%-20s %-24s %9s  %s%n", "INDEX", "FOLDER", "DOCUMENTS", "PATH");
      for (JsonNode folder : answer.path("folders")) {
        String name = folder.path("name").asText();
        out.printf(
            "%-20s %-24s %9d  %s%n",
            folder.path("index").asText(),
            name.isEmpty() ? "(unnamed: old ids)" : name,
            folder.path("documents").asInt(),
            folder.path("path").asText());
      }
      return AgentBrain.OK;
    }
  }

  @Command(
      name = "remove",
      mixinStandardHelpOptions = true,
      description = {
        "Remove a folder from an index: every document of that folder is deleted (tombstoned),",
        "the other folders stay. Runs as a job; --wait waits until the primary backend no longer",
        "serves them."
      })
  static final class Remove implements Callable<Integer> {
    @Parameters(
        paramLabel = "FOLDER",
        description = "the folder's name in the index, or the absolute path it was published from")
    String folder;

    @Mixin IndexOption index;

    @Option(names = "--wait", description = "wait until the removal is done")
    boolean waitForIt;

    @Mixin QueryApiAddress api = new QueryApiAddress();
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      ApiClient client = api.client();
      JsonNode job =
          client.send(
              "DELETE",
              "/index/folders?index=" + encode(index.name) + "&folder=" + encode(folder),
              Duration.ofSeconds(30));
      return JobsCommand.follow(client, job, waitForIt, spec.commandLine().getOut());
    }
  }

  static String encode(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
