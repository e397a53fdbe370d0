package dev.agentbrain.query;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentbrain.jobs.IndexingJobs;
import dev.agentbrain.jobs.Job;
import dev.agentbrain.jobs.JobException;
import dev.agentbrain.jobs.JobJson;
import dev.agentbrain.jobs.JobRequest;
import dev.agentbrain.publish.FilePreset;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code /index}: indexing jobs (publish a folder of this machine, add documents, remove a folder)
 * and the folders of each index, over {@link IndexingJobs}. Writes need the admin token.
 */
public final class IndexingRoutes implements RouteGroup {

  /** The longest a {@code GET /index/jobs/{id}?wait_seconds=} holds the request. */
  static final int MAX_WAIT_SECONDS = 120;

  private final IndexingJobs jobs;

  public IndexingRoutes(IndexingJobs jobs) {
    this.jobs = jobs;
  }

  @Override
  public List<Route> routes() {
    return List.of(
        Route.post("/index", Access.ADMIN, this::indexFolder),
        Route.post("/index/add", Access.ADMIN, this::addDocuments),
        Route.get("/index/jobs", Access.READ, this::list),
        Route.get("/index/jobs/{id}", Access.READ, this::one),
        new Route(HandlerType.DELETE, "/index/jobs/{id}", Access.ADMIN, this::cancel),
        Route.get("/index/folders", Access.READ, this::folders),
        new Route(HandlerType.DELETE, "/index/folders", Access.ADMIN, this::removeFolder));
  }

  /** The body of {@code POST /index}. */
  record IndexBody(
      @JsonProperty("folder_path") String folderPath,
      @JsonProperty("index") String index,
      @JsonProperty("folder_name") String folderName,
      @JsonProperty("preset") String preset,
      @JsonProperty("include") List<String> include,
      @JsonProperty("exclude") List<String> exclude,
      @JsonProperty("sync") boolean sync) {}

  /** The body of {@code POST /index/add}. */
  record AddBody(
      @JsonProperty("index") String index,
      @JsonProperty("documents") List<DocumentBody> documents) {}

  record DocumentBody(@JsonProperty("name") String name, @JsonProperty("text") String text) {}

  private void indexFolder(Context ctx) {
    IndexBody body = body(ctx, IndexBody.class, "{\"folder_path\": \"/abs/path\"}");
    if (body.folderPath() == null || body.folderPath().isBlank()) {
      throw new InvalidRequestException(
          "give the folder to index: {\"folder_path\": \"/abs/path\"}");
    }
    accepted(
        ctx,
        new JobRequest.IndexFolder(
            index(body.index()),
            body.folderPath(),
            body.folderName(),
            preset(body.preset()),
            body.include(),
            body.exclude(),
            body.sync()));
  }

  private void addDocuments(Context ctx) {
    AddBody body =
        body(ctx, AddBody.class, "{\"documents\": [{\"name\": \"note.md\", \"text\": \"...\"}]}");
    List<JobRequest.TextDocument> documents =
        body.documents() == null
            ? List.of()
            : body.documents().stream()
                .map(
                    d -> {
                      if (d == null || d.name() == null || d.text() == null) {
                        throw new InvalidRequestException(
                            "every document needs a \"name\" and a \"text\"");
                      }
                      return new JobRequest.TextDocument(d.name(), d.text());
                    })
                .toList();
    accepted(ctx, new JobRequest.AddDocuments(index(body.index()), documents));
  }

  private void list(Context ctx) {
    json(ctx, Map.of("jobs", call(jobs::jobs)));
  }

  /** One job; with {@code wait_seconds}, answered when it finishes or when they have passed. */
  private void one(Context ctx) {
    String id = ctx.pathParam("id");
    String wait = ctx.queryParam("wait_seconds");
    int seconds;
    try {
      seconds = wait == null ? 0 : Integer.parseInt(wait);
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (seconds < 0 || seconds > MAX_WAIT_SECONDS) {
      throw new InvalidRequestException(
          "wait_seconds must be a whole number from 0 to " + MAX_WAIT_SECONDS);
    }
    Duration timeout = Duration.ofSeconds(seconds);
    json(ctx, call(() -> jobs.await(id, timeout)));
  }

  private void cancel(Context ctx) {
    json(ctx, call(() -> jobs.cancel(ctx.pathParam("id"))));
  }

  private void folders(Context ctx) {
    Optional<String> index = Optional.ofNullable(ctx.queryParam("index"));
    json(ctx, Map.of("folders", call(() -> jobs.folders(index))));
  }

  private void removeFolder(Context ctx) {
    String folder = ctx.queryParam("folder");
    if (folder == null || folder.isBlank()) {
      throw new InvalidRequestException(
          "name the folder to remove: DELETE /index/folders?index=docs&folder=NAME (its name, or"
              + " its path)");
    }
    accepted(ctx, new JobRequest.RemoveFolder(index(ctx.queryParam("index")), folder));
  }

  private void accepted(Context ctx, JobRequest request) {
    Job job = call(() -> jobs.submit(request));
    ctx.status(202).header("Location", "/index/jobs/" + job.id());
    json(ctx, job);
  }

  private static String index(String index) {
    return index == null || index.isBlank() ? QueryRequest.DEFAULT_INDEX : index;
  }

  /**
   * The preset a request names ({@code all} when blank).
   *
   * @throws InvalidRequestException for an unknown name
   */
  public static FilePreset preset(String preset) {
    if (preset == null || preset.isBlank()) {
      return FilePreset.ALL;
    }
    try {
      return FilePreset.valueOf(preset.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new InvalidRequestException("preset must be docs, code or all, not '" + preset + "'");
    }
  }

  private static <T> T body(Context ctx, Class<T> type, String example) {
    try {
      T body = QueryApi.JSON.readValue(RequestBodies.json(ctx), type);
      if (body != null) {
        return body;
      }
    } catch (UnrecognizedPropertyException e) {
      throw new InvalidRequestException("unknown field '" + e.getPropertyName() + "'");
    } catch (MismatchedInputException e) {
      if (!e.getPath().isEmpty() && e.getPath().get(0).getFieldName() != null) {
        throw new InvalidRequestException(
            "field '" + e.getPath().get(0).getFieldName() + "' has the wrong type");
      }
    } catch (IOException e) {
      // not JSON: answered below
    }
    throw new InvalidRequestException("the body must be a JSON object, e.g. " + example);
  }

  /** A call of the jobs service. */
  public interface Call<T> {
    T run() throws InterruptedException;
  }

  /**
   * Runs a call of the jobs service, for the routes and the MCP tools; its refusals ({@link
   * JobException}) are answered by {@link ErrorTable}.
   *
   * @throws UnavailableException when the thread is interrupted (the server is stopping)
   */
  public static <T> T call(Call<T> call) {
    try {
      return call.run();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnavailableException("the server is stopping — try again shortly");
    }
  }

  private static void json(Context ctx, Object value) {
    try {
      ctx.contentType("application/json").result(JobJson.MAPPER.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a job could not be written as JSON", e);
    }
  }
}
