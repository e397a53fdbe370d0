package dev.agentbrain.mcp;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.agentbrain.jobs.IndexingJobs;
import dev.agentbrain.jobs.Job;
import dev.agentbrain.jobs.JobJson;
import dev.agentbrain.jobs.JobRequest;
import dev.agentbrain.query.Access;
import dev.agentbrain.query.IndexingRoutes;
import dev.agentbrain.query.InvalidRequestException;
import dev.agentbrain.query.NotFoundException;
import dev.agentbrain.query.QueryRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The indexing tools, Agent Brain's names: {@code index_folder}, {@code add_documents}, {@code
 * get_job}, {@code list_jobs}, {@code wait_for_job}, {@code cancel_job}, {@code list_folders},
 * {@code remove_folder}. Each calls the {@link IndexingJobs} service that the {@code /index} routes
 * call, with the same access (writes need the admin token) and the same refusals.
 */
final class JobTools {

  /** The longest {@code wait_for_job} holds a call: MCP clients time requests out (60 s often). */
  static final int MAX_WAIT_SECONDS = 50;

  private static final TypeReference<Map<String, Object>> OBJECT = new TypeReference<>() {};

  private final IndexingJobs jobs;

  JobTools(IndexingJobs jobs) {
    this.jobs = jobs;
  }

  List<ToolDefinition> tools() {
    return List.of(
        new ToolDefinition(
            "index_folder",
            "Index a folder (or one file) of the server's machine into an index, as a job; returns"
                + " the job at once (job_id, state queued). Follow it with wait_for_job: it is done"
                + " when its documents are searchable. Only folders under the server's index roots"
                + " (AGENT_BRAIN_INDEX_ROOTS) may be indexed. Publishing again sends only what"
                + " changed. Needs the admin token when the API has tokens.",
            InputSchema.object()
                .requiredString("folder_path", "Absolute path of the folder or file to index.")
                .string("index", "The logical index to write to (default docs).")
                .string(
                    "folder_name",
                    "The folder's name in the index (default: the folder's own name); sources"
                        + " are shown as name/relative/path.")
                .choice(
                    "preset",
                    "Which files: docs, code, or all (any text file); see list_file_types.",
                    List.of("docs", "code", "all"),
                    "all")
                .strings("include", "Globs relative to the folder; only these files.")
                .strings("exclude", "Globs to leave out (they win over include).")
                .bool("sync", "Also remove the documents of files that are gone from the folder."),
            Access.ADMIN,
            false,
            (arguments, caller) ->
                submit(
                    new JobRequest.IndexFolder(
                        index(arguments),
                        Arguments.string(arguments, "folder_path"),
                        Arguments.optionalString(arguments, "folder_name"),
                        IndexingRoutes.preset(Arguments.optionalString(arguments, "preset")),
                        Arguments.strings(arguments, "include"),
                        Arguments.strings(arguments, "exclude"),
                        Arguments.bool(arguments, "sync")))),
        new ToolDefinition(
            "add_documents",
            "Index documents given as text, without a folder, as a job; returns the job at once."
                + " A name given again replaces its document; the name's extension decides how the"
                + " text is read (e.g. .md, .java). Needs the admin token when the API has tokens.",
            InputSchema.object()
                .array(
                    "documents",
                    "The documents: [{\"name\": \"notes/today.md\", \"text\": \"...\"}, ...].",
                    Map.of(
                        "type",
                        "object",
                        "properties",
                        Map.of("name", Map.of("type", "string"), "text", Map.of("type", "string")),
                        "required",
                        List.of("name", "text")))
                .string("index", "The logical index to write to (default docs)."),
            Access.ADMIN,
            false,
            (arguments, caller) ->
                submit(new JobRequest.AddDocuments(index(arguments), documents(arguments)))),
        new ToolDefinition(
            "get_job",
            "One indexing job: state (queued, publishing, indexing, done, failed, cancelled),"
                + " files read/published/unchanged/deleted/skipped/failed with the failures' reasons,"
                + " chunks searchable per backend, documents still pending, detail.",
            InputSchema.object().requiredString("job_id", "The job's id."),
            Access.READ,
            true,
            (arguments, caller) ->
                jobOf(
                    () ->
                        jobs.job(Arguments.string(arguments, "job_id"))
                            .orElseThrow(
                                () ->
                                    new NotFoundException(
                                        "no job '"
                                            + arguments.get("job_id")
                                            + "' — list_jobs lists them")))),
        new ToolDefinition(
            "list_jobs",
            "Every indexing job, newest first, with its state and counts.",
            InputSchema.object(),
            Access.READ,
            true,
            (arguments, caller) ->
                Map.of(
                    "jobs", IndexingRoutes.call(jobs::jobs).stream().map(JobTools::job).toList())),
        new ToolDefinition(
            "wait_for_job",
            "Wait until a job has finished (done: its documents are searchable; failed;"
                + " cancelled) or timeout_seconds have passed, and return it as it is then; call it"
                + " again while the state is not finished.",
            InputSchema.object()
                .requiredString("job_id", "The job's id.")
                .integer("timeout_seconds", "How long to wait at most.", 0, MAX_WAIT_SECONDS, 30),
            Access.READ,
            true,
            (arguments, caller) ->
                jobOf(
                    () ->
                        jobs.await(
                            Arguments.string(arguments, "job_id"),
                            Duration.ofSeconds(
                                Arguments.integer(
                                    arguments, "timeout_seconds", 30, 0, MAX_WAIT_SECONDS))))),
        new ToolDefinition(
            "cancel_job",
            "Stop a job: a queued one never starts, a running one stops after the file under way"
                + " (what was published stays). Needs the admin token when the API has tokens.",
            InputSchema.object().requiredString("job_id", "The job's id."),
            Access.ADMIN,
            false,
            (arguments, caller) -> jobOf(() -> jobs.cancel(Arguments.string(arguments, "job_id")))),
        new ToolDefinition(
            "list_folders",
            "The folders indexed into an index (every index when none is given): index, name,"
                + " path and number of documents.",
            InputSchema.object().string("index", "Only this index."),
            Access.READ,
            true,
            (arguments, caller) ->
                Map.of(
                    "folders",
                    IndexingRoutes.call(
                        () ->
                            jobs.folders(
                                Optional.ofNullable(Arguments.optionalString(arguments, "index"))
                                    .filter(s -> !s.isBlank()))))),
        new ToolDefinition(
            "remove_folder",
            "Remove every document of one folder from an index, as a job; returns the job at once"
                + " (follow it with wait_for_job). Needs the admin token when the API has tokens.",
            InputSchema.object()
                .requiredString(
                    "folder_path", "The folder: its absolute path, or its name in the index.")
                .string("index", "The logical index (default docs)."),
            Access.ADMIN,
            false,
            (arguments, caller) ->
                submit(
                    new JobRequest.RemoveFolder(
                        index(arguments), Arguments.string(arguments, "folder_path")))));
  }

  private Map<String, Object> submit(JobRequest request) {
    return jobOf(() -> jobs.submit(request));
  }

  /** The job {@code call} gives, its failures turned into the answers the HTTP routes give. */
  private static Map<String, Object> jobOf(IndexingRoutes.Call<Job> call) {
    return job(IndexingRoutes.call(call));
  }

  /** A job in the JSON form the HTTP routes answer with (snake_case, ISO-8601 times). */
  private static Map<String, Object> job(Job job) {
    return JobJson.MAPPER.convertValue(job, OBJECT);
  }

  private static String index(Map<String, Object> arguments) {
    String index = Arguments.optionalString(arguments, "index");
    return index == null || index.isBlank() ? QueryRequest.DEFAULT_INDEX : index.strip();
  }

  private static List<JobRequest.TextDocument> documents(Map<String, Object> arguments) {
    Object value = arguments.get("documents");
    if (!(value instanceof List<?> list) || list.isEmpty()) {
      throw new InvalidRequestException(
          "give the documents: {\"documents\": [{\"name\": \"note.md\", \"text\": \"...\"}]}");
    }
    List<JobRequest.TextDocument> documents = new ArrayList<>();
    for (Object item : list) {
      if (!(item instanceof Map<?, ?> document)
          || !(document.get("name") instanceof String name)
          || !(document.get("text") instanceof String text)) {
        throw new InvalidRequestException("every document needs a \"name\" and a \"text\"");
      }
      documents.add(new JobRequest.TextDocument(name, text));
    }
    return documents;
  }
}
