package dev.agentbrain.embedding.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentbrain.embedding.EmbeddingException;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.ModelInfo;
import dev.agentbrain.embedding.RefusedTextException;
import dev.agentbrain.embedding.TextTooLongException;
import dev.agentbrain.retry.Failure;
import dev.agentbrain.retry.KnownFailure;
import dev.agentbrain.retry.Retry;
import dev.agentbrain.retry.RetryPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedding model served over HTTP. A batch is split into requests that respect the {@link
 * RequestCap}; the requests run concurrently, at most {@link HttpEmbeddingConfig#concurrency()} at
 * a time over all callers. Transient failures (see {@link ApiFailure}) are retried with backoff and
 * jitter, honouring a server's {@code Retry-After}; anything else fails at once. Every failure is
 * an {@link EmbeddingException} that says what to do and what kind of failure it is: transient when
 * the retries ran out or the server asked to wait longer than {@link
 * RetryPolicy#LONGEST_RETRY_AFTER} (with the wait it asked for), broken when the server refuses
 * every request until a person acts, rejected when it refused this batch or answered with vectors
 * of other dimensions.
 *
 * <p>Answers are checked before use: one vector per text, each of the expected length. With {@link
 * HttpEmbeddingConfig#normalize()} every vector is scaled to unit length (OpenAI's and Ollama's
 * already are; a compatible server may not be), and {@link ModelInfo#normalized()} says so.
 *
 * <p>There is no local tokenizer for a remote model, so {@link #countTokens} estimates. The model
 * name in {@link #info()} is {@code <provider>:<model>}, the name {@code EmbeddingModels.create}
 * accepts, so that an index contract recording it can be opened again.
 *
 * <p>Thread-safe. Subclasses only describe their API's wire format and keep no state of their own,
 * so this constructor may call them.
 */
public abstract sealed class RemoteEmbeddingModel implements EmbeddingModel
    permits OpenAiCompatibleEmbeddingModel, OllamaEmbeddingModel {

  static final ObjectMapper JSON = new ObjectMapper();

  private static final Logger log = LoggerFactory.getLogger(RemoteEmbeddingModel.class);

  /** Embedded once when the dimensions are not configured, to learn them. */
  private static final String PROBE_TEXT = "How many dimensions do your vectors have?";

  private final HttpEmbeddingConfig config;
  private final URI endpoint;
  private final HttpClient client;
  private final ExecutorService requests;
  private final Semaphore inFlight;
  private final Clock clock = Clock.systemUTC();
  private final ModelInfo info;

  RemoteEmbeddingModel(HttpEmbeddingConfig config, URI endpoint) {
    this.config = config;
    this.endpoint = endpoint;
    this.client =
        HttpClient.newBuilder()
            .connectTimeout(config.timeout())
            // plain-HTTP servers get no h2c upgrade attempt, which some mishandle
            .version(
                "https".equals(endpoint.getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .build();
    this.requests = Executors.newVirtualThreadPerTaskExecutor();
    this.inFlight = new Semaphore(config.concurrency());
    int dimensions;
    try {
      dimensions = config.dimensions().orElseGet(this::probeDimensions);
    } catch (RuntimeException e) {
      close();
      throw e;
    }
    this.info =
        new ModelInfo(
            config.provider().id(),
            config.provider().id() + ":" + config.model(),
            dimensions,
            config.maxTokens(),
            config.normalize());
  }

  /**
   * Opens the model {@code config} describes. When the config names no dimensions, one request is
   * made now to learn them, so an unreachable server or unknown model fails here.
   *
   * @throws EmbeddingException if that request fails
   */
  public static RemoteEmbeddingModel open(HttpEmbeddingConfig config) {
    return switch (config.provider()) {
      case OPENAI -> new OpenAiCompatibleEmbeddingModel(config);
      case OLLAMA -> new OllamaEmbeddingModel(config);
    };
  }

  /** Adds this API's own fields to a request body that already holds model and input. */
  abstract void addOptions(ObjectNode body);

  /**
   * The vectors of a successful answer, as JSON arrays in the order of the {@code texts} texts
   * sent.
   *
   * @throws UnexpectedAnswer if the answer does not have this API's shape
   */
  abstract List<JsonNode> vectorsOf(JsonNode answer, int texts) throws UnexpectedAnswer;

  /** The URL requests go to. */
  public URI endpoint() {
    return endpoint;
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    for (int i = 0; i < texts.size(); i++) {
      checkFits(texts.get(i), i);
    }
    List<List<String>> parts = split(texts);
    if (parts.size() <= 1) {
      return parts.isEmpty() ? List.of() : embedPart(parts.get(0));
    }
    List<Future<List<float[]>>> running = new ArrayList<>(parts.size());
    for (List<String> part : parts) {
      running.add(requests.submit(() -> embedPart(part)));
    }
    List<float[]> vectors = new ArrayList<>(texts.size());
    try {
      for (Future<List<float[]>> part : running) {
        vectors.addAll(part.get());
      }
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while embedding a batch with " + endpoint, e);
    } catch (ExecutionException e) {
      running.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EmbeddingException("embedding a batch with " + endpoint + " failed", e.getCause());
    }
    return vectors;
  }

  @Override
  public float[] embedQuery(String text) {
    return embedPassages(List.of(text)).get(0);
  }

  /**
   * {@inheritDoc}
   *
   * <p>An estimate, as no tokenizer of the remote model is at hand: one token per three characters
   * (Unicode code points), rounded up. English prose and code average about four characters per
   * token with both OpenAI's and BERT-style tokenizers, so the estimate errs high and a text sized
   * by it fits the model. Scripts with more tokens per character (Chinese, Japanese) can exceed it;
   * the server then refuses the text (Ollama is asked not to truncate) and the error names the
   * limit to lower.
   */
  @Override
  public int countTokens(String text) {
    return (text.codePointCount(0, text.length()) + 2) / 3;
  }

  @Override
  public void close() {
    requests.shutdownNow();
    client.shutdownNow();
  }

  @Override
  public String toString() {
    return getClass().getSimpleName()
        + "["
        + config.provider().id()
        + ":"
        + config.model()
        + " at "
        + endpoint
        + "]";
  }

  private void checkFits(String text, int index) {
    if (text.isBlank()) {
      throw new RefusedTextException(
          "text " + index + " of the batch is blank; there is nothing to embed");
    }
    int tokens = countTokens(text);
    if (tokens > config.maxTokens()) {
      throw new TextTooLongException(info.model(), index, tokens, config.maxTokens());
    }
  }

  /** The texts in consecutive requests within the cap, or an exception if one never fits. */
  private List<List<String>> split(List<String> texts) {
    RequestCap cap = config.requestCap();
    int envelope = body(List.of()).length;
    List<List<String>> parts = new ArrayList<>();
    List<String> part = new ArrayList<>();
    long bytes = envelope;
    for (int i = 0; i < texts.size(); i++) {
      int size = json(texts.get(i)).length;
      if (envelope + size > cap.maxBytes()) {
        throw new RefusedTextException(
            "text %d of the batch takes %d bytes in a request, more than the %d one request may carry; chunk it smaller or raise %s"
                .formatted(
                    i,
                    envelope + size,
                    cap.maxBytes(),
                    config.provider().variable("MAX_REQUEST_BYTES")));
      }
      // one comma separates it from the text before
      long grown = bytes + size + (part.isEmpty() ? 0 : 1);
      if (part.size() == cap.maxTexts() || grown > cap.maxBytes()) {
        parts.add(part);
        part = new ArrayList<>();
        grown = envelope + size;
      }
      part.add(texts.get(i));
      bytes = grown;
    }
    if (!part.isEmpty()) {
      parts.add(part);
    }
    return parts;
  }

  private List<float[]> embedPart(List<String> texts) {
    List<float[]> vectors = request(texts, OptionalInt.of(info.dimensions()));
    if (config.normalize()) {
      for (int i = 0; i < vectors.size(); i++) {
        normalize(vectors.get(i), i);
      }
    }
    return vectors;
  }

  private int probeDimensions() {
    int dimensions = request(List.of(PROBE_TEXT), OptionalInt.empty()).get(0).length;
    log.info("embedding model {} at {} makes {}-d vectors", config.model(), endpoint, dimensions);
    return dimensions;
  }

  /** Sends one request, retrying transient failures, and returns its checked vectors. */
  private List<float[]> request(List<String> texts, OptionalInt dimensions) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(endpoint)
            .timeout(config.timeout())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json");
    config.apiKey().ifPresent(key -> builder.header("Authorization", "Bearer " + key.reveal()));
    HttpRequest request = builder.POST(BodyPublishers.ofByteArray(body(texts))).build();
    RetryPolicy retries = config.retries();
    AtomicInteger attempts = new AtomicInteger();
    try {
      return Retry.with(retries)
          .onRetry(
              (failure, retry, pause) ->
                  log.info(
                      "embedding API at {} {}; retry {} of {} in {} ms",
                      endpoint,
                      failure.message(),
                      retry,
                      retries.maxRetries(),
                      pause.toMillis()))
          .call(
              () -> {
                attempts.incrementAndGet();
                return attempt(request, texts, dimensions);
              });
    } catch (Unanswered e) {
      throw failed(e.failure, circumstance(e.failure, attempts.get()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while waiting to retry " + endpoint, e);
    }
  }

  /** One request: its checked vectors, or {@link Unanswered} saying why there are none. */
  private List<float[]> attempt(HttpRequest request, List<String> texts, OptionalInt dimensions) {
    try {
      HttpResponse<byte[]> response = exchange(request);
      if (response.statusCode() / 100 == 2) {
        return vectors(response.body(), texts.size(), dimensions);
      }
      throw new Unanswered(
          ApiFailure.ofStatus(
              response.statusCode(), response.headers(), response.body(), config, clock));
    } catch (IOException e) {
      throw new Unanswered(ApiFailure.ofException(e, config));
    }
  }

  private HttpResponse<byte[]> exchange(HttpRequest request) throws IOException {
    try {
      inFlight.acquire();
      try {
        return client.send(request, BodyHandlers.ofByteArray());
      } finally {
        inFlight.release();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EmbeddingException(
          "interrupted while waiting for the embedding API at " + endpoint, e);
    }
  }

  /**
   * Why {@link Retry} gave up on a transient failure: the retries were spent, or the wait too long.
   */
  private static String circumstance(ApiFailure failure, int attempts) {
    if (!(failure instanceof ApiFailure.Transient retriable)) {
      return "";
    }
    return retriable
        .retryAfter()
        .filter(wait -> wait.compareTo(RetryPolicy.LONGEST_RETRY_AFTER) > 0)
        .map(wait -> " and asks to wait %d s".formatted(wait.toSeconds()))
        .orElse(" (%d attempts)".formatted(attempts));
  }

  /**
   * A failed request inside the retry loop; {@link Retry} retries it when its failure is transient,
   * and {@link #request} turns the last one into the caller's {@link EmbeddingException}.
   */
  private static final class Unanswered extends RuntimeException implements KnownFailure {
    private final transient ApiFailure failure;

    Unanswered(ApiFailure failure) {
      super(failure.problem(), failure.cause(), false, false);
      this.failure = failure;
    }

    @Override
    public Failure.Kind failureKind() {
      return failure.kind();
    }

    @Override
    public Optional<Duration> retryAfter() {
      return failure instanceof ApiFailure.Transient retriable
          ? retriable.retryAfter()
          : Optional.empty();
    }
  }

  /** The exception for a failure, saying what it means for the batch (see {@link ApiFailure}). */
  private EmbeddingException failed(ApiFailure failure, String circumstance) {
    String message =
        "the embedding API at %s %s%s — %s"
            .formatted(endpoint, failure.problem(), circumstance, failure.remedy());
    Optional<Duration> retryAfter =
        failure instanceof ApiFailure.Transient retriable
            ? retriable.retryAfter()
            : Optional.empty();
    return new EmbeddingException(message, failure.kind(), retryAfter, failure.cause());
  }

  private List<float[]> vectors(byte[] body, int texts, OptionalInt dimensions) {
    List<JsonNode> arrays;
    try {
      arrays = vectorsOf(JSON.readTree(body), texts);
      if (arrays.size() != texts) {
        throw new UnexpectedAnswer(
            "answered with %d vectors for %d texts".formatted(arrays.size(), texts));
      }
      List<float[]> vectors = new ArrayList<>(texts);
      for (int i = 0; i < texts; i++) {
        vectors.add(floats(arrays.get(i), i));
      }
      if (dimensions.isPresent()) {
        checkDimensions(vectors, dimensions.getAsInt());
      }
      return vectors;
    } catch (IOException | UnexpectedAnswer e) {
      throw new EmbeddingException(
          "the embedding API at %s %s — check that %s points at %s"
              .formatted(
                  endpoint,
                  e instanceof UnexpectedAnswer ? e.getMessage() : "answered with invalid JSON",
                  config.provider().urlVariable(),
                  switch (config.provider()) {
                    case OPENAI -> "an OpenAI-compatible embeddings API";
                    case OLLAMA -> "an Ollama server";
                  }),
          e);
    }
  }

  private void checkDimensions(List<float[]> vectors, int dimensions) {
    for (float[] vector : vectors) {
      if (vector.length != dimensions) {
        throw new EmbeddingException(
            ("the embedding API at %s answered with %d-dimensional vectors for model '%s', but %d"
                    + " are expected — if %s is set, make it match the index; a model whose vectors"
                    + " changed needs a new index version (reindex)")
                .formatted(
                    endpoint,
                    vector.length,
                    config.model(),
                    dimensions,
                    config.provider().variable("DIMENSIONS")),
            Failure.Kind.REJECTED,
            Optional.empty(),
            null);
      }
    }
  }

  private static float[] floats(JsonNode array, int index) throws UnexpectedAnswer {
    if (!array.isArray() || array.isEmpty()) {
      throw new UnexpectedAnswer("answered without a vector for text " + index);
    }
    float[] vector = new float[array.size()];
    for (int d = 0; d < vector.length; d++) {
      JsonNode value = array.get(d);
      if (!value.isNumber()) {
        throw new UnexpectedAnswer("answered with a non-number in the vector of text " + index);
      }
      vector[d] = value.floatValue();
    }
    return vector;
  }

  private void normalize(float[] vector, int index) {
    double sumOfSquares = 0;
    for (float v : vector) {
      sumOfSquares += v * v;
    }
    if (sumOfSquares == 0) {
      throw new EmbeddingException(
          "the embedding API at %s answered with an all-zero vector for text %d, which has no direction — check the model '%s'"
              .formatted(endpoint, index, config.model()),
          Failure.Kind.REJECTED,
          Optional.empty(),
          null);
    }
    float norm = (float) Math.sqrt(sumOfSquares);
    for (int i = 0; i < vector.length; i++) {
      vector[i] /= norm;
    }
  }

  private byte[] body(List<String> texts) {
    ObjectNode body = JSON.createObjectNode();
    body.put("model", config.model());
    ArrayNode input = body.putArray("input");
    texts.forEach(input::add);
    config.dimensions().ifPresent(d -> body.put("dimensions", d));
    addOptions(body);
    return json(body);
  }

  private static byte[] json(Object value) {
    try {
      return JSON.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a request as JSON", e);
    }
  }

  /** An answer with HTTP 2xx that does not have the API's shape. */
  static final class UnexpectedAnswer extends Exception {
    /**
     * @param problem completes "the embedding API at URL ...", e.g. "answered with 3 vectors for 4
     *     texts"
     */
    UnexpectedAnswer(String problem) {
      super(problem);
    }
  }
}
