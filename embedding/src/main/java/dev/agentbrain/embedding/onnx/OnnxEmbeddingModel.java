package dev.agentbrain.embedding.onnx;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.OrtSession.SessionOptions;
import ai.onnxruntime.OrtSession.SessionOptions.ExecutionMode;
import ai.onnxruntime.OrtSession.SessionOptions.OptLevel;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentbrain.embedding.EmbeddingException;
import dev.agentbrain.embedding.EmbeddingModel;
import dev.agentbrain.embedding.ModelInfo;
import dev.agentbrain.embedding.RefusedTextException;
import dev.agentbrain.embedding.TextTooLongException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link BundledModel} run in process by ONNX Runtime.
 *
 * <p>Every ONNX Runtime call uses one intra-op thread and embeds one text; {@link #embedPassages}
 * runs as many such calls at once as it has worker threads. On CPUs this beats both ONNX Runtime's
 * own multi-threading (which collapses when several callers share the cores) and batching inside
 * one call (padding and larger tensors made it 15-40% slower here).
 *
 * <p>Thread-safe. {@link #embedQuery} runs in the caller's thread, so concurrent queries do not
 * queue behind a batch of passages.
 */
public final class OnnxEmbeddingModel implements EmbeddingModel {

  private static final Logger log = LoggerFactory.getLogger(OnnxEmbeddingModel.class);

  private final BundledModel model;
  private final ModelInfo info;
  private final int threads;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final boolean wantsTokenTypes;
  private final HuggingFaceTokenizer tokenizer;
  private final Optional<WordPieceCounter> fastCounter;
  private final ExecutorService workers;

  private OnnxEmbeddingModel(
      BundledModel model,
      int threads,
      OrtEnvironment environment,
      OrtSession session,
      HuggingFaceTokenizer tokenizer,
      Optional<WordPieceCounter> fastCounter) {
    this.model = model;
    this.info = model.info();
    this.threads = threads;
    this.environment = environment;
    this.session = session;
    this.wantsTokenTypes = session.getInputNames().contains("token_type_ids");
    this.tokenizer = tokenizer;
    this.fastCounter = fastCounter;
    AtomicInteger workerNumber = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            threads,
            runnable -> {
              Thread thread =
                  new Thread(
                      runnable,
                      "embed-" + model.modelName() + "-" + workerNumber.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
  }

  /**
   * Loads a bundled model.
   *
   * @param threads how many texts are embedded at once by {@link #embedPassages}; the number of
   *     cores is the fastest setting
   * @throws IllegalArgumentException if {@code threads} is below 1
   */
  public static OnnxEmbeddingModel load(BundledModel model, int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException(
          "embedding threads must be at least 1, got " + threads + "; use the number of cores");
    }
    long started = System.nanoTime();
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession session;
    try (SessionOptions options = new SessionOptions()) {
      options.setIntraOpNumThreads(1);
      options.setInterOpNumThreads(1);
      options.setExecutionMode(ExecutionMode.SEQUENTIAL);
      options.setOptimizationLevel(OptLevel.ALL_OPT);
      session = environment.createSession(model.modelBytes(), options);
    } catch (OrtException e) {
      throw new EmbeddingException(
          "ONNX Runtime cannot load the model " + model.modelName() + " bundled in its jar", e);
    }
    HuggingFaceTokenizer tokenizer;
    Optional<WordPieceCounter> fastCounter;
    try {
      byte[] tokenizerJson = model.tokenizerBytes();
      // the shipped MiniLM tokenizer pads and truncates to 128: both off, so that a long text is
      // seen (and rejected) instead of silently cut
      tokenizer =
          HuggingFaceTokenizer.newInstance(
              new ByteArrayInputStream(tokenizerJson),
              Map.of("padding", "false", "truncation", "false"));
      fastCounter = WordPieceCounter.of(new ObjectMapper().readTree(tokenizerJson));
    } catch (IOException e) {
      closeQuietly(session);
      throw new UncheckedIOException(
          "cannot read the tokenizer of " + model.modelName() + " bundled in its jar", e);
    }
    log.info(
        "loaded embedding model {} ({} threads) in {} ms",
        model.modelName(),
        threads,
        (System.nanoTime() - started) / 1_000_000);
    return new OnnxEmbeddingModel(model, threads, environment, session, tokenizer, fastCounter);
  }

  @Override
  public ModelInfo info() {
    return info;
  }

  /** How many texts {@link #embedPassages} embeds at once. */
  public int threads() {
    return threads;
  }

  @Override
  public List<float[]> embedPassages(List<String> texts) {
    List<long[]> inputs = new ArrayList<>(texts.size());
    for (int i = 0; i < texts.size(); i++) {
      inputs.add(tokenize(texts.get(i), i));
    }
    if (inputs.size() <= 1) {
      return inputs.stream().map(this::run).toList();
    }
    float[][] vectors = new float[inputs.size()][];
    AtomicInteger next = new AtomicInteger();
    Runnable drain =
        () -> {
          // a cancelled batch stops at the next text; a running ONNX call cannot be interrupted
          for (int i = next.getAndIncrement();
              i < vectors.length && !Thread.currentThread().isInterrupted();
              i = next.getAndIncrement()) {
            vectors[i] = run(inputs.get(i));
          }
        };
    List<Future<?>> running = new ArrayList<>();
    for (int w = 0; w < Math.min(threads, inputs.size()); w++) {
      running.add(workers.submit(drain));
    }
    awaitAll(running);
    return Arrays.asList(vectors);
  }

  @Override
  public float[] embedQuery(String text) {
    return run(tokenize(model.queryPrefix() + text, 0));
  }

  /**
   * {@inheritDoc}
   *
   * <p>Counted in Java where that gives the native tokenizer's count exactly (see {@link
   * WordPieceCounter}), by the native tokenizer otherwise. Embedding checks the limit with the
   * native tokenizer in any case.
   */
  @Override
  public int countTokens(String text) {
    if (fastCounter.isPresent()) {
      OptionalInt tokens = fastCounter.get().count(text);
      if (tokens.isPresent()) {
        return tokens.getAsInt();
      }
    }
    return nativeTokenCount(text);
  }

  /** Tokens by the model's native (Hugging Face) tokenizer, special tokens not counted. */
  int nativeTokenCount(String text) {
    return tokenizer.encode(text, false, false).getIds().length;
  }

  @Override
  public void close() {
    workers.shutdownNow();
    closeQuietly(session);
    tokenizer.close();
  }

  /** Token ids with [CLS] and [SEP], or an exception if the text does not fit the model. */
  private long[] tokenize(String text, int index) {
    if (text.isBlank()) {
      throw new RefusedTextException(
          "text " + index + " of the batch is blank; there is nothing to embed");
    }
    long[] ids = tokenizer.encode(text, true, false).getIds();
    int textTokens = ids.length - 2;
    if (textTokens > info.maxTokens()) {
      throw new TextTooLongException(model.modelName(), index, textTokens, info.maxTokens());
    }
    return ids;
  }

  private float[] run(long[] ids) {
    long[] shape = {1, ids.length};
    long[] mask = new long[ids.length];
    Arrays.fill(mask, 1L);
    Map<String, OnnxTensor> feed = new HashMap<>();
    try {
      feed.put("input_ids", OnnxTensor.createTensor(environment, LongBuffer.wrap(ids), shape));
      feed.put(
          "attention_mask", OnnxTensor.createTensor(environment, LongBuffer.wrap(mask), shape));
      if (wantsTokenTypes) {
        feed.put(
            "token_type_ids",
            OnnxTensor.createTensor(environment, LongBuffer.wrap(new long[ids.length]), shape));
      }
      try (OrtSession.Result result = session.run(feed)) {
        FloatBuffer hidden = ((OnnxTensor) result.get(0)).getFloatBuffer();
        return normalize(pool(hidden, ids.length));
      }
    } catch (OrtException e) {
      throw new EmbeddingException("ONNX Runtime failed to embed with " + model.modelName(), e);
    } finally {
      feed.values().forEach(OnnxTensor::close);
    }
  }

  /** {@code hidden} holds {@code tokens} rows of {@code dimensions} floats. */
  private float[] pool(FloatBuffer hidden, int tokens) {
    int dimensions = info.dimensions();
    float[] pooled = new float[dimensions];
    switch (model.pooling()) {
      case CLS -> hidden.get(0, pooled);
      case MEAN -> {
        for (int t = 0; t < tokens; t++) {
          int row = t * dimensions;
          for (int d = 0; d < dimensions; d++) {
            pooled[d] += hidden.get(row + d);
          }
        }
        for (int d = 0; d < dimensions; d++) {
          pooled[d] /= tokens;
        }
      }
    }
    return pooled;
  }

  private static float[] normalize(float[] vector) {
    double sumOfSquares = 0;
    for (float v : vector) {
      sumOfSquares += v * v;
    }
    float norm = (float) Math.sqrt(sumOfSquares);
    if (norm > 0) {
      for (int i = 0; i < vector.length; i++) {
        vector[i] /= norm;
      }
    }
    return vector;
  }

  private static void awaitAll(List<Future<?>> running) {
    try {
      for (Future<?> future : running) {
        future.get();
      }
    } catch (InterruptedException e) {
      running.forEach(f -> f.cancel(true));
      Thread.currentThread().interrupt();
      throw new EmbeddingException("interrupted while embedding a batch", e);
    } catch (ExecutionException e) {
      running.forEach(f -> f.cancel(true));
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new EmbeddingException("embedding worker failed", e.getCause());
    }
  }

  private static void closeQuietly(OrtSession session) {
    try {
      session.close();
    } catch (OrtException e) {
      log.debug("closing the ONNX session failed", e);
    }
  }

  @Override
  public String toString() {
    return "OnnxEmbeddingModel[" + model.modelName() + ", threads=" + threads + "]";
  }
}
